"""Small builders for the bootstrap policy: rules, subjects, and the objects that carry them.

Rules come out as the API shows them: every list sorted (Kubernetes' rule builder sorts verbs,
groups, resources, names and URLs) and empty fields left out, keys in the Go struct's order.
Every object carries the bootstrapping label and the autoupdate annotation, which is what lets
a restart add back what an administrator removed unless they set the annotation to "false".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Obj = dict[str, Any]

RBAC_GROUP = "rbac.authorization.k8s.io"
API_VERSION = f"{RBAC_GROUP}/v1"
BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping"
BOOTSTRAP_LABEL_VALUE = "rbac-defaults"
AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate"
AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin"
AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit"
AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view"
CONTROLLER_PREFIX = "system:controller:"
KUBE_SYSTEM, KUBE_PUBLIC = "kube-system", "kube-public"

READ = ("get", "list", "watch")
WRITE = ("create", "update", "patch", "delete", "deletecollection")
READ_WRITE = READ + WRITE
READ_UPDATE = READ + ("update", "patch")

LEGACY, APPS, BATCH, EXTENSIONS, POLICY = "", "apps", "batch", "extensions", "policy"
AUTHENTICATION, AUTHORIZATION = "authentication.k8s.io", "authorization.k8s.io"
AUTOSCALING, CERTIFICATES = "autoscaling", "certificates.k8s.io"
COORDINATION, DISCOVERY, EVENTS = "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io"
NETWORKING, STORAGE = "networking.k8s.io", "storage.k8s.io"


def rule(
    verbs: Iterable[str],
    groups: Iterable[str],
    resources: Iterable[str],
    names: Iterable[str] = (),
) -> Obj:
    """A resource rule: `verbs` on `resources` of `groups` (only the named objects, if any)."""
    out: Obj = {
        "verbs": sorted(verbs),
        "apiGroups": sorted(groups),
        "resources": sorted(resources),
    }
    if names:
        out["resourceNames"] = sorted(names)
    return out


def url_rule(verbs: Iterable[str], urls: Iterable[str]) -> Obj:
    return {"verbs": sorted(verbs), "nonResourceURLs": sorted(urls)}


def events_rule() -> Obj:
    """What every component that records events is granted (core and events.k8s.io)."""
    return rule(("create", "update", "patch"), (LEGACY, EVENTS), ("events",))


def _metadata(name: str, namespace: str = "", labels: dict[str, str] | None = None) -> Obj:
    meta: Obj = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["labels"] = {**(labels or {}), BOOTSTRAP_LABEL: BOOTSTRAP_LABEL_VALUE}
    meta["annotations"] = {AUTOUPDATE_ANNOTATION: "true"}
    return meta


def cluster_role(
    name: str,
    rules: list[Obj] | None = None,
    *,
    labels: dict[str, str] | None = None,
    aggregate_from: str = "",
) -> Obj:
    """A ClusterRole; `aggregate_from` names the label whose roles it aggregates (its rules
    are then left to the aggregation controller)."""
    obj: Obj = {
        "apiVersion": API_VERSION,
        "kind": "ClusterRole",
        "metadata": _metadata(name, labels=labels),
    }
    if aggregate_from:
        obj["aggregationRule"] = {
            "clusterRoleSelectors": [{"matchLabels": {aggregate_from: "true"}}]
        }
    else:
        obj["rules"] = rules or []
    return obj


def role(name: str, namespace: str, rules: list[Obj]) -> Obj:
    return {
        "apiVersion": API_VERSION,
        "kind": "Role",
        "metadata": _metadata(name, namespace),
        "rules": rules,
    }


def user(name: str) -> Obj:
    return {"apiGroup": RBAC_GROUP, "kind": "User", "name": name}


def group(name: str) -> Obj:
    return {"apiGroup": RBAC_GROUP, "kind": "Group", "name": name}


def service_account(namespace: str, name: str) -> Obj:
    return {"kind": "ServiceAccount", "name": name, "namespace": namespace}


def cluster_role_binding(name: str, subjects: list[Obj], *, role_name: str = "") -> Obj:
    """A ClusterRoleBinding to the ClusterRole of the same name (or `role_name`); a binding
    without subjects leaves `subjects` out, as Kubernetes serializes an empty list."""
    obj: Obj = {
        "apiVersion": API_VERSION,
        "kind": "ClusterRoleBinding",
        "metadata": _metadata(name),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": role_name or name},
    }
    if subjects:
        obj["subjects"] = subjects
    return obj


def role_binding(name: str, namespace: str, subjects: list[Obj], *, role_name: str = "") -> Obj:
    """A RoleBinding to the Role of the same name (or `role_name`) in its namespace."""
    return {
        "apiVersion": API_VERSION,
        "kind": "RoleBinding",
        "metadata": _metadata(name, namespace),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "Role", "name": role_name or name},
        "subjects": subjects,
    }
