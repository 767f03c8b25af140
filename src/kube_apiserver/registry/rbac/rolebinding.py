"""RoleBindings and ClusterRoleBindings: a fixed role reference and a list of subjects.

A user may only bind a role they may `bind` or whose permissions they hold
(`escalation_check.py`).
"""

from __future__ import annotations

from kube_apiserver.apis.meta.validation import path_segment_name_errors
from kube_apiserver.apis.rbac import defaults, printers, validation
from kube_apiserver.registry.rbac.escalation_check import BindingGuardedStrategy


class RoleBindingStrategy(BindingGuardedStrategy):
    name_rule = staticmethod(path_segment_name_errors)
    table = printers.TABLES["rolebindings"]
    defaulter = staticmethod(defaults.default_binding)
    validator = staticmethod(validation.validate_role_binding)
    update_validator = staticmethod(validation.validate_role_binding_update)
    allow_create_on_update = True


class ClusterRoleBindingStrategy(BindingGuardedStrategy):
    name_rule = staticmethod(path_segment_name_errors)
    table = printers.TABLES["clusterrolebindings"]
    defaulter = staticmethod(defaults.default_binding)
    validator = staticmethod(validation.validate_cluster_role_binding)
    update_validator = staticmethod(validation.validate_cluster_role_binding_update)
    allow_create_on_update = True
