"""core/v1: the resources of the legacy API group and where Kubernetes stores them."""

from __future__ import annotations

from kube_apiserver.apis.core import protobuf, protobuf_pods
from kube_apiserver.apis.core import resources as core
from kube_apiserver.registry.core import simple
from kube_apiserver.registry.core.binding import BindingREST, BindingsView
from kube_apiserver.registry.core.componentstatus import ComponentStatusView
from kube_apiserver.registry.core.eviction import EvictionREST
from kube_apiserver.registry.core.namespace import FinalizeREST, NamespaceStrategy
from kube_apiserver.registry.core.node import NodeStrategy
from kube_apiserver.registry.core.persistentvolume import (
    PersistentVolumeClaimStrategy,
    PersistentVolumeStrategy,
    persistentvolume_status,
    persistentvolumeclaim_status,
)
from kube_apiserver.registry.core.pod import (
    EphemeralContainersREST,
    PodStatusREST,
    PodStrategy,
    ResizeREST,
)
from kube_apiserver.registry.core.podstreams import ExecREST, LogREST, PortForwardREST
from kube_apiserver.registry.core.proxy import NodeProxyREST, PodProxyREST, ServiceProxyREST
from kube_apiserver.registry.core.replicationcontroller import (
    ReplicationControllerStrategy,
    scale_rest,
)
from kube_apiserver.registry.core.service import ServiceStrategy
from kube_apiserver.registry.core.serviceaccount import ServiceAccountStrategy, TokenREST
from kube_apiserver.registry.provider import STATUS, ResourceSpec, View

POD_SUBRESOURCES = {
    "attach": ExecREST,  # attach and exec differ only at the kubelet
    "binding": BindingREST,
    "ephemeralcontainers": EphemeralContainersREST,
    "eviction": EvictionREST,
    "exec": ExecREST,
    "log": LogREST,
    "portforward": PortForwardREST,
    "proxy": PodProxyREST,
    "resize": ResizeREST,
    "status": PodStatusREST,
}

SPECS = (
    ResourceSpec(
        core.namespaces,
        NamespaceStrategy,
        "/registry/namespaces/",
        {**STATUS, "finalize": FinalizeREST},
    ),
    ResourceSpec(core.configmaps, simple.ConfigMapStrategy, "/registry/configmaps/"),
    ResourceSpec(core.secrets, simple.SecretStrategy, "/registry/secrets/"),
    ResourceSpec(
        core.serviceaccounts,
        ServiceAccountStrategy,
        "/registry/serviceaccounts/",
        {"token": TokenREST},
    ),
    ResourceSpec(core.pods, PodStrategy, "/registry/pods/", POD_SUBRESOURCES),
    ResourceSpec(
        core.services,
        ServiceStrategy,
        "/registry/services/specs/",
        {**STATUS, "proxy": ServiceProxyREST},
    ),
    ResourceSpec(core.endpoints, simple.EndpointsStrategy, "/registry/services/endpoints/"),
    ResourceSpec(core.events, simple.EventStrategy, "/registry/events/"),
    ResourceSpec(
        core.nodes, NodeStrategy, "/registry/minions/", {**STATUS, "proxy": NodeProxyREST}
    ),
    ResourceSpec(
        core.replicationcontrollers,
        ReplicationControllerStrategy,
        "/registry/controllers/",
        {**STATUS, "scale": scale_rest},
    ),
    ResourceSpec(core.podtemplates, simple.PodTemplateStrategy, "/registry/podtemplates/"),
    ResourceSpec(
        core.persistentvolumes,
        PersistentVolumeStrategy,
        "/registry/persistentvolumes/",
        {"status": persistentvolume_status},
    ),
    ResourceSpec(
        core.persistentvolumeclaims,
        PersistentVolumeClaimStrategy,
        "/registry/persistentvolumeclaims/",
        {"status": persistentvolumeclaim_status},
    ),
    ResourceSpec(core.limitranges, simple.LimitRangeStrategy, "/registry/limitranges/"),
    ResourceSpec(
        core.resourcequotas, simple.ResourceQuotaStrategy, "/registry/resourcequotas/", STATUS
    ),
)

# `bindings` stores nothing of its own: a Binding posted there binds the pod it names.
# `componentstatuses` are probed, not stored: the namespaces store only lends its storage
# backend, whose health `etcd-0` reports.
VIEWS: tuple[View, ...] = (
    (core.bindings, core.pods, BindingsView),
    (core.componentstatuses, core.namespaces, ComponentStatusView),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
protobuf_pods.register_messages()
