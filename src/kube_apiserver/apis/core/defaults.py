"""Defaulting of core/v1 objects, as kube-apiserver 1.33 applies it after decoding a request.

Each function fills in, in place, what Kubernetes' v1 defaulters set (SetDefaults_* and the
generated `+default` markers), so that a freshly created object reads back exactly as a real
cluster returns it. Two more kinds of filling live here because they must happen before
validation and a real server does them on the way in: struct fields that Go always serializes
(`resources: {}`, a node's `nodeInfo`), and the v1→internal conversions that change content
(a Secret's `stringData`).

What admission plugins or controllers set (serviceAccountName, priority, tolerations, node
ports, cluster IPs) is deliberately not done here.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from kube_apiserver.apis.core.quantities import canonical_resource_list
from kube_apiserver.apis.meta.unstructured import dict_items, ensure_dict

_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"((?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    r"(?::([\w][\w.-]{0,127}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?"
)


def image_tag(image: str) -> str:
    """The tag Kubernetes' ParseImageName finds: "latest" when neither tag nor digest is
    given, "" when there is only a digest or the reference does not parse."""
    m = _REFERENCE.fullmatch(image)
    if not m or len(m.group(1)) > 255 or re.fullmatch(r"[a-f0-9]{64}", image):
        return ""
    name = m.group(1)
    first, slash, rest = name.partition("/")
    # Only the repository path (not a registry host) must be lowercase.
    remainder = (
        rest
        if slash
        and (any(c in first for c in ".:") or first == "localhost" or first != first.lower())
        else name
    )
    if remainder != remainder.lower():
        return ""
    if m.group(2):
        return m.group(2)
    return "" if m.group(3) else "latest"


def _handler(h: Any) -> None:
    if not isinstance(h, dict):
        return
    get = h.get("httpGet")
    if isinstance(get, dict):
        if not get.get("path"):
            get["path"] = "/"
        if not get.get("scheme"):
            get["scheme"] = "HTTP"
    grpc = h.get("grpc")
    if isinstance(grpc, dict) and grpc.get("service") is None:
        grpc["service"] = ""


def _probe(p: Any) -> None:
    if not isinstance(p, dict):
        return
    for key, value in (
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ):
        if not p.get(key):
            p[key] = value
    _handler(p)


def _field_ref(holder: Any) -> None:
    ref = holder.get("fieldRef") if isinstance(holder, dict) else None
    if isinstance(ref, dict) and not ref.get("apiVersion"):
        ref["apiVersion"] = "v1"


def default_container(c: dict) -> None:
    if not c.get("imagePullPolicy"):
        image = c.get("image")
        c["imagePullPolicy"] = (
            "Always"
            if image_tag(image if isinstance(image, str) else "") == "latest"
            else "IfNotPresent"
        )
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = "/dev/termination-log"
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    c.setdefault("resources", {})  # Go always serializes this struct
    resources = c.get("resources")
    if isinstance(resources, dict):
        for key in ("limits", "requests"):
            canonical_resource_list(resources.get(key))
    for port in dict_items(c, "ports"):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in dict_items(c, "env"):
        _field_ref(env.get("valueFrom"))
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        _probe(c.get(key))
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        _handler(lifecycle.get("postStart"))
        _handler(lifecycle.get("preStop"))


_SOURCES = (
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
)


def _volume(vol: dict) -> None:
    if not any(vol.get(k) is not None for k in _SOURCES):
        vol["emptyDir"] = {}
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        src = vol.get(key)
        if isinstance(src, dict) and src.get("defaultMode") is None:
            src["defaultMode"] = 420  # 0644
    for item in dict_items(vol.get("downwardAPI"), "items"):
        _field_ref(item)
    for source in dict_items(vol.get("projected"), "sources"):
        for item in dict_items(source.get("downwardAPI"), "items"):
            _field_ref(item)
        token = source.get("serviceAccountToken")
        if isinstance(token, dict) and token.get("expirationSeconds") is None:
            token["expirationSeconds"] = 3600
    host_path = vol.get("hostPath")
    if isinstance(host_path, dict) and host_path.get("type") is None:
        host_path["type"] = ""
    image = vol.get("image")
    if isinstance(image, dict) and not image.get("pullPolicy"):
        ref = image.get("reference")
        image["pullPolicy"] = (
            "Always"
            if image_tag(ref if isinstance(ref, str) else "") == "latest"
            else "IfNotPresent"
        )
    ephemeral = vol.get("ephemeral")
    template = ephemeral.get("volumeClaimTemplate") if isinstance(ephemeral, dict) else None
    if isinstance(template, dict):
        claim_spec = ensure_dict(template, "spec")
        if claim_spec.get("volumeMode") is None:
            claim_spec["volumeMode"] = "Filesystem"


def service_account_name(spec: dict) -> str:
    """The pod's service account: `serviceAccountName`, or v1's deprecated alias
    `serviceAccount` when the former is empty (Kubernetes' v1 conversion)."""
    name = spec.get("serviceAccountName") or spec.get("serviceAccount")
    return name if isinstance(name, str) else ""


def default_pod_spec(spec: dict) -> None:
    """What every PodSpec gets, in pods and in templates alike."""
    if name := service_account_name(spec):
        # v1 carries the alias as a copy of the name, so both read back.
        spec["serviceAccountName"] = spec["serviceAccount"] = name
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for vol in dict_items(spec, "volumes"):
        _volume(vol)
    for kind in ("initContainers", "containers", "ephemeralContainers"):
        for c in dict_items(spec, kind):
            default_container(c)


def default_pod(obj: dict) -> None:
    """A Pod: its spec's defaults plus the pod-only ones (not applied to templates)."""
    spec = ensure_dict(obj, "spec")
    for kind in ("containers", "initContainers"):
        for c in dict_items(spec, kind):
            resources = c.get("resources")
            limits = resources.get("limits") if isinstance(resources, dict) else None
            if isinstance(limits, dict) and limits:
                requests = ensure_dict(resources, "requests")
                for name, value in limits.items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork") is True:
        for kind in ("containers", "initContainers"):
            for c in dict_items(spec, kind):
                for port in dict_items(c, "ports"):
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")
    default_pod_spec(spec)


def default_service(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = ensure_dict(ensure_dict(spec, "sessionAffinityConfig"), "clientIP")
        if client_ip.get("timeoutSeconds") is None:
            client_ip["timeoutSeconds"] = 10800
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    stype = spec["type"]
    for port in dict_items(spec, "ports"):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    external_ips = spec.get("externalIPs")
    if (
        stype in ("NodePort", "LoadBalancer") or stype == "ClusterIP" and external_ips
    ) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and stype in (
        "NodePort",
        "LoadBalancer",
        "ClusterIP",
    ):
        spec["internalTrafficPolicy"] = "Cluster"
    if stype == "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is None:
            spec["allocateLoadBalancerNodePorts"] = True
        for ingress in dict_items(
            ensure_dict(ensure_dict(obj, "status"), "loadBalancer"), "ingress"
        ):
            if ingress.get("ip") and ingress.get("ipMode") is None:
                ingress["ipMode"] = "VIP"
    # clusterIPs, ipFamilyPolicy and ipFamilies depend on the cluster's service ranges: the
    # service registry sets them (registry/core/servicealloc.py), as Kubernetes' REST layer does.
    ensure_dict(ensure_dict(obj, "status"), "loadBalancer")


def default_namespace(obj: dict) -> None:
    meta = ensure_dict(obj, "metadata")
    name = meta.get("name")
    if isinstance(name, str) and name:
        ensure_dict(meta, "labels")["kubernetes.io/metadata.name"] = name
    spec = ensure_dict(obj, "spec")
    if spec.get("finalizers") is None:
        spec["finalizers"] = ["kubernetes"]
    status = ensure_dict(obj, "status")
    if not status.get("phase"):
        status["phase"] = "Active"


def default_secret(obj: dict) -> None:
    if not obj.get("type"):
        obj["type"] = "Opaque"
    # v1 stringData is write-only: it is merged into data (winning over it) on the way in.
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = ensure_dict(obj, "data")
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


_NODE_INFO = (
    "architecture",
    "bootID",
    "containerRuntimeVersion",
    "kernelVersion",
    "kubeProxyVersion",
    "kubeletVersion",
    "machineID",
    "operatingSystem",
    "osImage",
    "systemUUID",
)


def default_node(obj: dict) -> None:
    status = ensure_dict(obj, "status")
    capacity = status.get("capacity")
    if status.get("allocatable") is None and isinstance(capacity, dict):
        status["allocatable"] = dict(capacity)
    ensure_dict(ensure_dict(status, "daemonEndpoints"), "kubeletEndpoint").setdefault("Port", 0)
    info = ensure_dict(status, "nodeInfo")
    for key in _NODE_INFO:
        info.setdefault(key, "")


def default_endpoints(obj: dict) -> None:
    for subset in dict_items(obj, "subsets"):
        for port in dict_items(subset, "ports"):
            if not port.get("protocol"):
                port["protocol"] = "TCP"
