"""The core (legacy, "") group's resources at v1, with the discovery facts of Kubernetes 1.33."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

V1 = "v1"
# Subresources that stream from the kubelet (exec, attach, portforward) or proxy to a backend.
CONNECT_VERBS = ("create", "get")
PROXY_VERBS = ("create", "delete", "get", "patch", "update")

namespaces = Resource(
    "",
    V1,
    "namespaces",
    "Namespace",
    "namespace",
    False,
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    short_names=("ns",),
    subresources=(Subresource("status", "Namespace"),),
)
configmaps = Resource("", V1, "configmaps", "ConfigMap", "configmap", True, short_names=("cm",))
secrets = Resource("", V1, "secrets", "Secret", "secret", True)
serviceaccounts = Resource(
    "",
    V1,
    "serviceaccounts",
    "ServiceAccount",
    "serviceaccount",
    True,
    short_names=("sa",),
    subresources=(
        Subresource(
            "token", "TokenRequest", group="authentication.k8s.io", version="v1", verbs=("create",)
        ),
    ),
)
pods = Resource(
    "",
    V1,
    "pods",
    "Pod",
    "pod",
    True,
    short_names=("po",),
    categories=("all",),
    subresources=(
        Subresource("attach", "PodAttachOptions", verbs=CONNECT_VERBS),
        Subresource("binding", "Binding", verbs=("create",)),
        Subresource("ephemeralcontainers", "Pod"),
        Subresource("eviction", "Eviction", group="policy", version="v1", verbs=("create",)),
        Subresource("exec", "PodExecOptions", verbs=CONNECT_VERBS),
        Subresource("log", "Pod", verbs=("get",)),
        Subresource("portforward", "PodPortForwardOptions", verbs=CONNECT_VERBS),
        Subresource("proxy", "PodProxyOptions", verbs=PROXY_VERBS),
        Subresource("resize", "Pod"),
        Subresource("status", "Pod"),
    ),
)
# Binds a pod named in the Binding's metadata; the older form of pods/binding.
bindings = Resource("", V1, "bindings", "Binding", "binding", True, verbs=("create",))
services = Resource(
    "",
    V1,
    "services",
    "Service",
    "service",
    True,
    verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
    short_names=("svc",),
    categories=("all",),
    subresources=(
        Subresource("proxy", "ServiceProxyOptions", verbs=PROXY_VERBS),
        Subresource("status", "Service"),
    ),
)
endpoints = Resource(
    "",
    V1,
    "endpoints",
    "Endpoints",
    "endpoints",
    True,
    short_names=("ep",),
    deprecation="v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
)
events = Resource("", V1, "events", "Event", "event", True, short_names=("ev",))
nodes = Resource(
    "",
    V1,
    "nodes",
    "Node",
    "node",
    False,
    short_names=("no",),
    subresources=(
        Subresource("proxy", "NodeProxyOptions", verbs=PROXY_VERBS),
        Subresource("status", "Node"),
    ),
)

replicationcontrollers = Resource(
    "",
    V1,
    "replicationcontrollers",
    "ReplicationController",
    "replicationcontroller",
    True,
    short_names=("rc",),
    categories=("all",),
    subresources=(
        Subresource("scale", "Scale", group="autoscaling", version="v1"),
        Subresource("status", "ReplicationController"),
    ),
)
podtemplates = Resource("", V1, "podtemplates", "PodTemplate", "podtemplate", True)
persistentvolumes = Resource(
    "",
    V1,
    "persistentvolumes",
    "PersistentVolume",
    "persistentvolume",
    False,
    short_names=("pv",),
    subresources=(Subresource("status", "PersistentVolume"),),
)
persistentvolumeclaims = Resource(
    "",
    V1,
    "persistentvolumeclaims",
    "PersistentVolumeClaim",
    "persistentvolumeclaim",
    True,
    short_names=("pvc",),
    subresources=(Subresource("status", "PersistentVolumeClaim"),),
)
limitranges = Resource(
    "", V1, "limitranges", "LimitRange", "limitrange", True, short_names=("limits",)
)
resourcequotas = Resource(
    "",
    V1,
    "resourcequotas",
    "ResourceQuota",
    "resourcequota",
    True,
    short_names=("quota",),
    subresources=(Subresource("status", "ResourceQuota"),),
)
# Probed, not stored: the health of the control plane's parts, read-only.
componentstatuses = Resource(
    "",
    V1,
    "componentstatuses",
    "ComponentStatus",
    "componentstatus",
    False,
    verbs=("get", "list"),
    short_names=("cs",),
    deprecation="v1 ComponentStatus is deprecated in v1.19+",
)

RESOURCES = (
    namespaces,
    configmaps,
    secrets,
    serviceaccounts,
    pods,
    bindings,
    services,
    endpoints,
    events,
    nodes,
    replicationcontrollers,
    podtemplates,
    persistentvolumes,
    persistentvolumeclaims,
    limitranges,
    resourcequotas,
    componentstatuses,
)
