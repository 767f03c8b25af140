"""rbac.authorization.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.rbac import protobuf
from kube_apiserver.apis.rbac import resources as rbac
from kube_apiserver.registry.provider import ResourceSpec
from kube_apiserver.registry.rbac.role import ClusterRoleStrategy, RoleStrategy
from kube_apiserver.registry.rbac.rolebinding import (
    ClusterRoleBindingStrategy,
    RoleBindingStrategy,
)

SPECS = (
    ResourceSpec(
        rbac.clusterrolebindings, ClusterRoleBindingStrategy, "/registry/clusterrolebindings/"
    ),
    ResourceSpec(rbac.clusterroles, ClusterRoleStrategy, "/registry/clusterroles/"),
    ResourceSpec(rbac.rolebindings, RoleBindingStrategy, "/registry/rolebindings/"),
    ResourceSpec(rbac.roles, RoleStrategy, "/registry/roles/"),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
