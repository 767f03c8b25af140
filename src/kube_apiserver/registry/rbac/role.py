"""Roles and ClusterRoles: policy rules only, named as URL path segments.

Whether a user may create a role granting more than they hold (escalation) is the RBAC
authorizer's business and lives with it, not here.
"""

from __future__ import annotations

from kube_apiserver.apis.meta.validation import path_segment_name_errors
from kube_apiserver.apis.rbac import validation
from kube_apiserver.registry.rest import Strategy


class RoleStrategy(Strategy):
    name_rule = staticmethod(path_segment_name_errors)
    validator = staticmethod(validation.validate_role)
    update_validator = staticmethod(validation.validate_role_update)


class ClusterRoleStrategy(Strategy):
    name_rule = staticmethod(path_segment_name_errors)
    validator = staticmethod(validation.validate_cluster_role)
    update_validator = staticmethod(validation.validate_cluster_role_update)
