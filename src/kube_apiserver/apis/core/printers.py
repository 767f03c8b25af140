"""Table printers for the core/v1 resources: the columns `kubectl get` shows for them.

Each entry of `TABLES` mirrors kube-apiserver 1.33's printer for the kind: the same columns
(names, types, priorities, descriptions) and the same cell text. The pod printer carries
most of the logic, since its STATUS and RESTARTS columns summarise the container states the
way kubectl users know them (`Init:0/1`, `CrashLoopBackOff`, `Terminating`, `3 (5m ago)`).
Where the stored object lacks a field that Kubernetes' defaulting always sets (a port's
protocol, a service's type), the default is used so the cell reads as it would there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.apps.printers import container_cells
from kube_apiserver.apis.meta.table import (
    NONE,
    UNKNOWN,
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    format_labels,
    name_column,
    object_name,
    parse_time,
    since,
)

CORE = "io.k8s.api.core.v1."


def _doc(kind: str, field: str) -> str:
    return field_doc(CORE + kind, field)


# ---- namespaces, configmaps, secrets, serviceaccounts ----

NAMESPACES = TableDef(
    columns=(
        name_column(),
        Column("Status", description="The status of the namespace"),
        age_column(),
    ),
    row=lambda obj, now: [
        object_name(obj),
        (obj.get("status") or {}).get("phase", ""),
        age(obj, now),
    ],
)

CONFIGMAPS = TableDef(
    columns=(name_column(), Column("Data", description=_doc("ConfigMap", "data")), age_column()),
    row=lambda obj, now: [
        object_name(obj),
        len(obj.get("data") or {}) + len(obj.get("binaryData") or {}),
        age(obj, now),
    ],
)

SECRETS = TableDef(
    columns=(
        name_column(),
        Column("Type", description=_doc("Secret", "type")),
        Column("Data", description=_doc("Secret", "data")),
        age_column(),
    ),
    row=lambda obj, now: [
        object_name(obj),
        obj.get("type") or "Opaque",
        len(obj.get("data") or {}),
        age(obj, now),
    ],
)

SERVICEACCOUNTS = TableDef(
    columns=(
        name_column(),
        Column("Secrets", description=_doc("ServiceAccount", "secrets")),
        age_column(),
    ),
    row=lambda obj, now: [object_name(obj), len(obj.get("secrets") or []), age(obj, now)],
)


# ---- pods ----

_COMPLETED = {"type": "Completed", "status": "True"}
_POD_CONDITIONS = {
    "Succeeded": [
        {**_COMPLETED, "reason": "Succeeded", "message": "The pod has completed successfully."}
    ],
    "Failed": [{**_COMPLETED, "reason": "Failed", "message": "The pod failed."}],
}


def _restartable(container: dict[str, Any] | None) -> bool:
    """A sidecar: an init container that keeps running (restartPolicy Always)."""
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(status: dict[str, Any], kind: str) -> bool:
    for condition in status.get("conditions") or []:
        if condition.get("type") == kind:
            return condition.get("status") == "True"
    return False


def _has_ready_condition(status: dict[str, Any]) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in status.get("conditions") or []
    )


def _last_finished(cs: dict[str, Any]) -> datetime | None:
    terminated = (cs.get("lastState") or {}).get("terminated")
    return parse_time(terminated.get("finishedAt")) if terminated is not None else None


def _later(current: datetime | None, candidate: datetime | None) -> datetime | None:
    if candidate is None:
        return current
    return candidate if current is None or current < candidate else current


def _terminated_reason(terminated: dict[str, Any], prefix: str) -> str:
    if terminated.get("reason"):
        return prefix + terminated["reason"]
    if terminated.get("signal"):
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{terminated.get('exitCode', 0)}"


def _pod_row(pod: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    meta = pod.get("metadata") or {}
    init_specs = spec.get("initContainers") or []
    by_name = {c.get("name"): c for c in init_specs}
    total = len(spec.get("containers") or []) + sum(1 for c in init_specs if _restartable(c))
    ready = 0
    restarts, sidecar_restarts = 0, 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None

    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    initializing = False
    for index, cs in enumerate(status.get("initContainerStatuses") or []):
        state = cs.get("state") or {}
        restarts += cs.get("restartCount", 0)
        last_restart = _later(last_restart, _last_finished(cs))
        sidecar = _restartable(by_name.get(cs.get("name")))
        if sidecar:
            sidecar_restarts += cs.get("restartCount", 0)
            last_sidecar_restart = _later(last_sidecar_restart, _last_finished(cs))
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if sidecar and cs.get("started"):
            ready += 1 if cs.get("ready") else 0
            continue
        if terminated is not None:
            reason = _terminated_reason(terminated, "Init:")
        elif (
            waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing"
        ):
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(status, "Initialized"):
        # Once initialised, only sidecars' restarts count alongside the app containers'.
        restarts, last_restart = sidecar_restarts, last_sidecar_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            state = cs.get("state") or {}
            restarts += cs.get("restartCount", 0)
            last_restart = _later(last_restart, _last_finished(cs))
            terminated, waiting = state.get("terminated"), state.get("waiting")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None:
                reason = _terminated_reason(terminated, "")
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        # A container still running keeps a pod whose others completed from reading Completed.
        if reason == "Completed" and has_running:
            reason = "Running" if _has_ready_condition(status) else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_cell = str(restarts)
    if restarts and last_restart is not None:
        restarts_cell = f"{restarts} ({since(last_restart, now)} ago)"

    pod_ips = status.get("podIPs") or []
    gates = spec.get("readinessGates") or []
    readiness = NONE
    if gates:
        conditions = status.get("conditions") or []
        passed = 0
        for gate in gates:
            match = next(
                (c for c in conditions if c.get("type") == gate.get("conditionType")), None
            )
            passed += 1 if match and match.get("status") == "True" else 0
        readiness = f"{passed}/{len(gates)}"
    return [
        object_name(pod),
        f"{ready}/{total}",
        reason,
        restarts_cell,
        age(pod, now),
        (pod_ips[0].get("ip") if pod_ips else "") or NONE,
        spec.get("nodeName") or NONE,
        status.get("nominatedNodeName") or NONE,
        readiness,
    ]


PODS = TableDef(
    columns=(
        name_column(),
        Column(
            "Ready", description="The aggregate readiness state of this pod for accepting traffic."
        ),
        Column("Status", description="The aggregate status of the containers in this pod."),
        Column(
            "Restarts",
            description="The number of times the containers in this pod have been restarted "
            "and when the last container in this pod has restarted.",
        ),
        age_column(),
        Column("IP", priority=1, description=_doc("PodStatus", "podIP")),
        Column("Node", priority=1, description=_doc("PodSpec", "nodeName")),
        Column("Nominated Node", priority=1, description=_doc("PodStatus", "nominatedNodeName")),
        Column("Readiness Gates", priority=1, description=_doc("PodSpec", "readinessGates")),
    ),
    row=_pod_row,
    conditions=lambda pod: _POD_CONDITIONS.get((pod.get("status") or {}).get("phase", ""), []),
)


# ---- services and endpoints ----


def _load_balancer_ingress(status: dict[str, Any]) -> list[str]:
    found = set()
    for ingress in (status.get("loadBalancer") or {}).get("ingress") or []:
        if ingress.get("ip"):
            found.add(ingress["ip"])
        elif ingress.get("hostname"):
            found.add(ingress["hostname"])
    return sorted(found)


def _external_ip(service: dict[str, Any]) -> str:
    spec = service.get("spec") or {}
    external = spec.get("externalIPs") or []
    kind = spec.get("type") or "ClusterIP"
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else NONE
    if kind == "LoadBalancer":
        # The server prints wide, so the ingress list is never clipped.
        addresses = _load_balancer_ingress(service.get("status") or {}) + external
        return ",".join(addresses) if addresses else "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return UNKNOWN


def _ports(ports: list[dict[str, Any]]) -> str:
    pieces = []
    for port in ports:
        protocol = port.get("protocol") or "TCP"
        if port.get("nodePort"):
            pieces.append(f"{port.get('port', 0)}:{port['nodePort']}/{protocol}")
        else:
            pieces.append(f"{port.get('port', 0)}/{protocol}")
    return ",".join(pieces) or NONE


def _service_row(service: dict[str, Any], now: datetime) -> list[Any]:
    spec = service.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or []
    return [
        object_name(service),
        spec.get("type") or "ClusterIP",
        cluster_ips[0] if cluster_ips else NONE,
        _external_ip(service),
        _ports(spec.get("ports") or []),
        age(service, now),
        format_labels(spec.get("selector")),
    ]


SERVICES = TableDef(
    columns=(
        name_column(),
        Column("Type", description=_doc("ServiceSpec", "type")),
        Column("Cluster-IP", description=_doc("ServiceSpec", "clusterIP")),
        Column("External-IP", description=_doc("ServiceSpec", "externalIPs")),
        Column("Port(s)", description=_doc("ServiceSpec", "ports")),
        age_column(),
        Column("Selector", priority=1, description=_doc("ServiceSpec", "selector")),
    ),
    row=_service_row,
)

_SHOWN_ENDPOINTS = 3


def _host_port(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(endpoints: dict[str, Any]) -> str:
    """The ENDPOINTS cell: the first three ready addresses, then "+ N more..."."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return NONE
    shown: list[str] = []
    total = 0
    more = False
    for subset in subsets:
        addresses = [a.get("ip", "") for a in subset.get("addresses") or []]
        # Headless services may have no ports: the addresses stand alone.
        ports = [p.get("port", 0) for p in subset.get("ports") or []] or [None]
        for port in ports:
            total += len(addresses)
            for ip in addresses:
                if len(shown) == _SHOWN_ENDPOINTS:
                    more = True
                    break
                shown.append(ip if port is None else _host_port(ip, port))
    text = ",".join(shown)
    return f"{text} + {total - _SHOWN_ENDPOINTS} more..." if more else text


ENDPOINTS = TableDef(
    columns=(
        name_column(),
        Column("Endpoints", description=_doc("Endpoints", "subsets")),
        age_column(),
    ),
    row=lambda obj, now: [object_name(obj), format_endpoints(obj), age(obj, now)],
)


# ---- events ----


def _event_row(event: dict[str, Any], now: datetime) -> list[Any]:
    first_seen = since(event.get("firstTimestamp"), now)
    if parse_time(event.get("firstTimestamp")) is None:
        first_seen = since(event.get("eventTime"), now)
    last_seen = since(event.get("lastTimestamp"), now)
    if parse_time(event.get("lastTimestamp")) is None:
        last_seen = first_seen
    count = event.get("count") or 0
    series = event.get("series")
    if series is not None:
        last_seen = since(series.get("lastObservedTime"), now)
        count = series.get("count", 0)
    elif count == 0:
        count = 1  # singleton events of the new API carry no count
    involved = event.get("involvedObject") or {}
    kind = (involved.get("kind") or "").lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingController") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return [
        last_seen,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        f"{component}, {host}" if host else component,
        (event.get("message") or "").strip(),
        first_seen,
        count,
        object_name(event),
    ]


EVENTS = TableDef(
    columns=(
        Column("Last Seen", description=_doc("Event", "lastTimestamp")),
        Column("Type", description=_doc("Event", "type")),
        Column("Reason", description=_doc("Event", "reason")),
        Column("Object", description=_doc("Event", "involvedObject")),
        Column("Subobject", priority=1, description=_doc("ObjectReference", "fieldPath")),
        Column("Source", priority=1, description=_doc("Event", "source")),
        Column("Message", description=_doc("Event", "message")),
        Column("First Seen", priority=1, description=_doc("Event", "firstTimestamp")),
        Column("Count", priority=1, description=_doc("Event", "count")),
        name_column(priority=1),
    ),
    row=_event_row,
)


# ---- nodes ----

_ROLE_PREFIX = "node-role.kubernetes.io/"


def node_roles(node: dict[str, Any]) -> list[str]:
    """Roles from `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values."""
    roles = set()
    for key, value in ((node.get("metadata") or {}).get("labels") or {}).items():
        if key.startswith(_ROLE_PREFIX) and key[len(_ROLE_PREFIX) :]:
            roles.add(key[len(_ROLE_PREFIX) :])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def _node_address(node: dict[str, Any], kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "")
    return NONE


def _node_row(node: dict[str, Any], now: datetime) -> list[Any]:
    status = node.get("status") or {}
    ready = None
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            ready = condition  # the last one listed wins, as in a map keyed by type
    if ready is None:
        states = ["Unknown"]
    else:
        states = ["Ready" if ready.get("status") == "True" else "NotReady"]
    if (node.get("spec") or {}).get("unschedulable"):
        states.append("SchedulingDisabled")
    info = status.get("nodeInfo") or {}
    return [
        object_name(node),
        ",".join(states),
        ",".join(node_roles(node)) or NONE,
        age(node, now),
        info.get("kubeletVersion", ""),
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or UNKNOWN,
        info.get("kernelVersion") or UNKNOWN,
        info.get("containerRuntimeVersion") or UNKNOWN,
    ]


NODES = TableDef(
    columns=(
        name_column(),
        Column("Status", description="The status of the node"),
        Column("Roles", description="The roles of the node"),
        age_column(),
        Column("Version", description=_doc("NodeSystemInfo", "kubeletVersion")),
        Column("Internal-IP", priority=1, description=_doc("NodeStatus", "addresses")),
        Column("External-IP", priority=1, description=_doc("NodeStatus", "addresses")),
        Column("OS-Image", priority=1, description=_doc("NodeSystemInfo", "osImage")),
        Column("Kernel-Version", priority=1, description=_doc("NodeSystemInfo", "kernelVersion")),
        Column(
            "Container-Runtime",
            priority=1,
            description=_doc("NodeSystemInfo", "containerRuntimeVersion"),
        ),
    ),
    row=_node_row,
)


# ---- replication controllers and pod templates ----


def _replicationcontroller_row(rc: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = rc.get("spec") or {}, rc.get("status") or {}
    names, images = container_cells(((spec.get("template") or {}).get("spec")) or {})
    return [
        object_name(rc),
        spec.get("replicas", 0),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        age(rc, now),
        names,
        images,
        format_labels(spec.get("selector")),
    ]


REPLICATIONCONTROLLERS = TableDef(
    columns=(
        name_column(),
        Column("Desired", "integer", description=_doc("ReplicationControllerSpec", "replicas")),
        Column("Current", "integer", description=_doc("ReplicationControllerStatus", "replicas")),
        Column(
            "Ready", "integer", description=_doc("ReplicationControllerStatus", "readyReplicas")
        ),
        age_column(),
        Column("Containers", priority=1, description="Names of each container in the template."),
        Column(
            "Images", priority=1, description="Images referenced by each container in the template."
        ),
        Column("Selector", priority=1, description=_doc("ReplicationControllerSpec", "selector")),
    ),
    row=_replicationcontroller_row,
)


def _podtemplate_row(template: dict[str, Any], now: datetime) -> list[Any]:
    spec = template.get("template") or {}
    names, images = container_cells(spec.get("spec") or {})
    return [
        object_name(template),
        names,
        images,
        format_labels((spec.get("metadata") or {}).get("labels")),
    ]


PODTEMPLATES = TableDef(
    columns=(
        name_column(),
        Column("Containers", description="Names of each container in the template."),
        Column("Images", description="Images referenced by each container in the template."),
        Column("Pod Labels", description="The labels for the pod template."),
    ),
    row=_podtemplate_row,
)


# ---- persistent volumes and claims ----

_ACCESS_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)
_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"


def access_modes(modes: list[str] | None) -> str:
    """Access modes as kubectl abbreviates them, always in the order RWO,ROX,RWX,RWOP."""
    return ",".join(short for mode, short in _ACCESS_MODES if mode in (modes or []))


def _storage_class(obj: dict[str, Any]) -> str:
    """The beta annotation wins over spec.storageClassName, as Kubernetes' helpers read it."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if _BETA_STORAGE_CLASS in annotations:
        return annotations[_BETA_STORAGE_CLASS]
    return (obj.get("spec") or {}).get("storageClassName") or ""


def _phase(obj: dict[str, Any]) -> str:
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    return (obj.get("status") or {}).get("phase", "")


def _persistentvolume_row(pv: dict[str, Any], now: datetime) -> list[Any]:
    spec = pv.get("spec") or {}
    claim = spec.get("claimRef")
    return [
        object_name(pv),
        str((spec.get("capacity") or {}).get("storage", "0")),
        access_modes(spec.get("accessModes")),
        spec.get("persistentVolumeReclaimPolicy", ""),
        _phase(pv),
        f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else "",
        _storage_class(pv),
        spec.get("volumeAttributesClassName") or "<unset>",
        (pv.get("status") or {}).get("reason", ""),
        age(pv, now),
        spec.get("volumeMode") or "<unset>",
    ]


PERSISTENTVOLUMES = TableDef(
    columns=(
        name_column(),
        Column("Capacity", description=_doc("PersistentVolumeSpec", "capacity")),
        Column("Access Modes", description=_doc("PersistentVolumeSpec", "accessModes")),
        Column(
            "Reclaim Policy",
            description=_doc("PersistentVolumeSpec", "persistentVolumeReclaimPolicy"),
        ),
        Column("Status", description=_doc("PersistentVolumeStatus", "phase")),
        Column("Claim", description=_doc("PersistentVolumeSpec", "claimRef")),
        Column("StorageClass", description="StorageClass of the pv"),
        Column("VolumeAttributesClass", description="VolumeAttributesClass of the pv"),
        Column("Reason", description=_doc("PersistentVolumeStatus", "reason")),
        age_column(),
        Column("VolumeMode", priority=1, description=_doc("PersistentVolumeSpec", "volumeMode")),
    ),
    row=_persistentvolume_row,
)


def _persistentvolumeclaim_row(pvc: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = pvc.get("spec") or {}, pvc.get("status") or {}
    bound = bool(spec.get("volumeName"))
    return [
        object_name(pvc),
        _phase(pvc),
        spec.get("volumeName", ""),
        str((status.get("capacity") or {}).get("storage", "0")) if bound else "",
        access_modes(status.get("accessModes")) if bound else "",
        _storage_class(pvc),
        spec.get("volumeAttributesClassName") or "<unset>",
        age(pvc, now),
        spec.get("volumeMode") or "<unset>",
    ]


PERSISTENTVOLUMECLAIMS = TableDef(
    columns=(
        name_column(),
        Column("Status", description=_doc("PersistentVolumeClaimStatus", "phase")),
        Column("Volume", description=_doc("PersistentVolumeClaimSpec", "volumeName")),
        Column("Capacity", description=_doc("PersistentVolumeClaimStatus", "capacity")),
        Column("Access Modes", description=_doc("PersistentVolumeClaimStatus", "accessModes")),
        Column("StorageClass", description="StorageClass of the pvc"),
        Column("VolumeAttributesClass", description="VolumeAttributesClass of the pvc"),
        age_column(),
        Column(
            "VolumeMode", priority=1, description=_doc("PersistentVolumeClaimSpec", "volumeMode")
        ),
    ),
    row=_persistentvolumeclaim_row,
)


# ---- resource quotas and component statuses ----


def _resourcequota_row(quota: dict[str, Any], now: datetime) -> list[Any]:
    status = quota.get("status") or {}
    hard, used = status.get("hard") or {}, status.get("used") or {}
    requests, limits = [], []
    for name in sorted(hard):
        cell = f"{name}: {used.get(name, '0')}/{hard[name]}"
        (limits if name.split(".")[0] == "limits" and "." in name else requests).append(cell)
    return [object_name(quota), ", ".join(requests), ", ".join(limits), age(quota, now)]


RESOURCEQUOTAS = TableDef(
    columns=(
        name_column(),
        Column(
            "Request",
            description="Request represents a minimum amount of cpu/memory that a container "
            "may consume.",
        ),
        Column(
            "Limit",
            description="Limits control the maximum amount of cpu/memory that a container may "
            "use independent of contention on the node.",
        ),
        age_column(),
    ),
    row=_resourcequota_row,
)


def _componentstatus_row(cs: dict[str, Any], now: datetime) -> list[Any]:
    for condition in cs.get("conditions") or []:
        if condition.get("type") == "Healthy":
            healthy = "Healthy" if condition.get("status") == "True" else "Unhealthy"
            return [
                object_name(cs),
                healthy,
                condition.get("message", ""),
                condition.get("error", ""),
            ]
    return [object_name(cs), "Unknown", "", ""]


COMPONENTSTATUSES = TableDef(
    columns=(
        name_column(),
        Column("Status", description="Status of the component conditions"),
        Column("Message", description="Message of the component conditions"),
        Column("Error", description="Error of the component conditions"),
    ),
    row=_componentstatus_row,
)


TABLES: dict[str, TableDef] = {
    "namespaces": NAMESPACES,
    "configmaps": CONFIGMAPS,
    "secrets": SECRETS,
    "serviceaccounts": SERVICEACCOUNTS,
    "pods": PODS,
    "services": SERVICES,
    "endpoints": ENDPOINTS,
    "events": EVENTS,
    "nodes": NODES,
    "replicationcontrollers": REPLICATIONCONTROLLERS,
    "podtemplates": PODTEMPLATES,
    "persistentvolumes": PERSISTENTVOLUMES,
    "persistentvolumeclaims": PERSISTENTVOLUMECLAIMS,
    "resourcequotas": RESOURCEQUOTAS,
    "componentstatuses": COMPONENTSTATUSES,
}
