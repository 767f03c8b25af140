"""Defaults of rbac.authorization.k8s.io/v1 bindings, as Kubernetes' v1 defaulting sets them.

A binding's `roleRef.apiGroup` and its User and Group subjects' `apiGroup` name the RBAC group
when left empty; ServiceAccount subjects belong to the core group and keep an empty one.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.rbac.resources import GROUP

_SUBJECT_GROUPS = {"User": GROUP, "Group": GROUP}


def default_binding(obj: dict[str, Any]) -> None:
    """RoleBindings and ClusterRoleBindings share their defaults."""
    ref = obj.get("roleRef")
    if ref is None:  # a plain struct in Go: defaulted even when left out
        ref = obj["roleRef"] = {}
    if isinstance(ref, dict) and not ref.get("apiGroup"):
        ref["apiGroup"] = GROUP
    for subject in obj.get("subjects") or []:
        if isinstance(subject, dict) and not subject.get("apiGroup"):
            group = _SUBJECT_GROUPS.get(subject.get("kind"))
            if group:
                subject["apiGroup"] = group
