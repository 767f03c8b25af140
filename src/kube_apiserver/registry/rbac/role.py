"""Roles and ClusterRoles: policy rules only, named as URL path segments.

A user may only write a role granting what they hold, unless they may `escalate`
(`escalation_check.py`, with the RBAC authorizer's rule resolver).
"""

from __future__ import annotations

from kube_apiserver.apis.meta.validation import path_segment_name_errors
from kube_apiserver.apis.rbac import validation
from kube_apiserver.registry.rbac.escalation_check import RoleGuardedStrategy


class RoleStrategy(RoleGuardedStrategy):
    name_rule = staticmethod(path_segment_name_errors)
    validator = staticmethod(validation.validate_role)
    update_validator = staticmethod(validation.validate_role_update)
    allow_create_on_update = True


class ClusterRoleStrategy(RoleGuardedStrategy):
    name_rule = staticmethod(path_segment_name_errors)
    validator = staticmethod(validation.validate_cluster_role)
    update_validator = staticmethod(validation.validate_cluster_role_update)
    allow_create_on_update = True
