"""rbac.authorization.k8s.io/v1 resources: roles and the bindings that grant them.

None of the four has a short name, a category or a subresource in Kubernetes 1.33.
"""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource

GROUP = "rbac.authorization.k8s.io"

roles = Resource(GROUP, "v1", "roles", "Role", "role", True)
rolebindings = Resource(GROUP, "v1", "rolebindings", "RoleBinding", "rolebinding", True)
clusterroles = Resource(GROUP, "v1", "clusterroles", "ClusterRole", "clusterrole", False)
clusterrolebindings = Resource(
    GROUP, "v1", "clusterrolebindings", "ClusterRoleBinding", "clusterrolebinding", False
)
