"""The RBAC bootstrap policy of kube-apiserver 1.33: the roles and bindings it keeps present.

Four kinds of object, as Kubernetes groups them: cluster roles (with the controller roles of
kube-controller-manager), cluster role bindings, and the roles and role bindings of kube-system
and kube-public. Each call builds fresh objects, so callers may hand them to a store.
The reconciler in registry/rbac/bootstrap.py creates and updates them at start.
"""

from __future__ import annotations

from kube_apiserver.authorization.rbac.bootstrappolicy.builders import (
    AGGREGATE_TO_ADMIN,
    AGGREGATE_TO_EDIT,
    AGGREGATE_TO_VIEW,
    AUTOUPDATE_ANNOTATION,
    BOOTSTRAP_LABEL,
    Obj,
)
from kube_apiserver.authorization.rbac.bootstrappolicy.cluster_roles import (
    cluster_role_bindings as _cluster_role_bindings,
)
from kube_apiserver.authorization.rbac.bootstrappolicy.cluster_roles import (
    cluster_roles as _cluster_roles,
)
from kube_apiserver.authorization.rbac.bootstrappolicy.controller_roles import (
    controller_role_bindings,
    controller_roles,
)
from kube_apiserver.authorization.rbac.bootstrappolicy.namespace_roles import (
    namespace_role_bindings,
    namespace_roles,
)

__all__ = [
    "AGGREGATE_TO_ADMIN",
    "AGGREGATE_TO_EDIT",
    "AGGREGATE_TO_VIEW",
    "AUTOUPDATE_ANNOTATION",
    "BOOTSTRAP_LABEL",
    "cluster_role_bindings",
    "cluster_roles",
    "namespace_role_bindings",
    "namespace_roles",
]


def cluster_roles() -> list[Obj]:
    """Every bootstrap ClusterRole, the `system:controller:*` ones included."""
    return _cluster_roles() + controller_roles()


def cluster_role_bindings() -> list[Obj]:
    """Every bootstrap ClusterRoleBinding, the `system:controller:*` ones included."""
    return _cluster_role_bindings() + controller_role_bindings()
