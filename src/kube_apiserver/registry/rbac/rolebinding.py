"""RoleBindings and ClusterRoleBindings: a fixed role reference and a list of subjects."""

from __future__ import annotations

from kube_apiserver.apis.meta.validation import path_segment_name_errors
from kube_apiserver.apis.rbac import defaults, printers, validation
from kube_apiserver.registry.rest import Strategy


class RoleBindingStrategy(Strategy):
    name_rule = staticmethod(path_segment_name_errors)
    table = printers.TABLES["rolebindings"]
    defaulter = staticmethod(defaults.default_binding)
    validator = staticmethod(validation.validate_role_binding)
    update_validator = staticmethod(validation.validate_role_binding_update)


class ClusterRoleBindingStrategy(Strategy):
    name_rule = staticmethod(path_segment_name_errors)
    table = printers.TABLES["clusterrolebindings"]
    defaulter = staticmethod(defaults.default_binding)
    validator = staticmethod(validation.validate_cluster_role_binding)
    update_validator = staticmethod(validation.validate_cluster_role_binding_update)
