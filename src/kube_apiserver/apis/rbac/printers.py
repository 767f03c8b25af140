"""Table printers for rbac.authorization.k8s.io/v1: the columns `kubectl get` shows for bindings.

Roles and cluster roles have no printer in Kubernetes, so they get the generic table
(NAME, CREATED AT). A binding row names its role as `Kind/name`; `-o wide` adds its subjects
grouped by kind, service accounts written `namespace/name`. Kubernetes describes the ROLE
column with the rbac/v1beta1 field docs, which this server's schema data does not carry, so
that text is written out here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    name_column,
    object_name,
)

_ROLE_REF_DOCS = {
    "roleBinding": (
        "RoleRef can reference a Role in the current namespace or a ClusterRole in the global "
        "namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."
    ),
    "clusterRoleBinding": (
        "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef "
        "cannot be resolved, the Authorizer must return an error."
    ),
}


def subject_cells(subjects: list[Any]) -> tuple[str, str, str]:
    """The USERS, GROUPS and SERVICEACCOUNTS cells; other kinds are not shown."""
    users: list[str] = []
    groups: list[str] = []
    service_accounts: list[str] = []
    for subject in subjects:
        subject = subject if isinstance(subject, dict) else {}
        kind, name = subject.get("kind"), subject.get("name", "")
        if kind == "User":
            users.append(name)
        elif kind == "Group":
            groups.append(name)
        elif kind == "ServiceAccount":
            service_accounts.append(f"{subject.get('namespace', '')}/{name}")
    return ", ".join(users), ", ".join(groups), ", ".join(service_accounts)


def _binding_row(binding: dict[str, Any], now: datetime) -> list[Any]:
    ref = binding.get("roleRef") or {}
    return [
        object_name(binding),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        age(binding, now),
        *subject_cells(binding.get("subjects") or []),
    ]


def _binding_table(what: str) -> TableDef:
    return TableDef(
        columns=(
            name_column(),
            Column("Role", description=_ROLE_REF_DOCS[what]),
            age_column(),
            Column("Users", priority=1, description=f"Users in the {what}"),
            Column("Groups", priority=1, description=f"Groups in the {what}"),
            Column("ServiceAccounts", priority=1, description=f"ServiceAccounts in the {what}"),
        ),
        row=_binding_row,
    )


TABLES: dict[str, TableDef] = {
    "rolebindings": _binding_table("roleBinding"),
    "clusterrolebindings": _binding_table("clusterRoleBinding"),
}
