"""Table printers for admissionregistration.k8s.io/v1: what `kubectl get` shows for webhook
configurations, ValidatingAdmissionPolicies and their bindings.

Kubernetes describes these counting columns in plain words rather than with field docs; the
texts (spelling included) are its own. A binding's PARAMREF shows `namespace/name` (`*/name`
when the namespace is left open) or, for a selector, the selector's Go String() form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.core.formats import go_label_selector
from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    name_column,
    object_name,
)

UNSET = "<unset>"


def _webhooks_row(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [object_name(obj), len(obj.get("webhooks") or []), age(obj, now)]


WEBHOOK_CONFIGURATIONS = TableDef(
    columns=(
        name_column(),
        Column(
            "Webhooks",
            "integer",
            description="Webhooks indicates the number of webhooks registered in this configuration",
        ),
        age_column(),
    ),
    row=_webhooks_row,
)


def _policy_row(policy: dict[str, Any], now: datetime) -> list[Any]:
    spec = policy.get("spec") or {}
    kind = spec.get("paramKind")
    param_kind = f"{kind.get('apiVersion', '')}/{kind.get('kind', '')}" if kind else UNSET
    return [object_name(policy), len(spec.get("validations") or []), param_kind, age(policy, now)]


VALIDATING_ADMISSION_POLICIES = TableDef(
    columns=(
        name_column(),
        Column(
            "Validations",
            "integer",
            description="Validations indicates the number of validation rules defined in this configuration",
        ),
        Column(
            "ParamKind",
            description="ParamKind specifies the kind of resources used to parameterize this policy",
        ),
        age_column(),
    ),
    row=_policy_row,
)


def _param_ref(ref: dict[str, Any] | None) -> str:
    if not ref:
        return UNSET
    if ref.get("name"):
        return f"{ref.get('namespace') or '*'}/{ref['name']}"
    if ref.get("selector") is not None:
        return go_label_selector(ref["selector"])
    return UNSET


def _binding_row(binding: dict[str, Any], now: datetime) -> list[Any]:
    spec = binding.get("spec") or {}
    return [
        object_name(binding),
        spec.get("policyName", ""),
        _param_ref(spec.get("paramRef")),
        age(binding, now),
    ]


VALIDATING_ADMISSION_POLICY_BINDINGS = TableDef(
    columns=(
        name_column(),
        Column(
            "PolicyName",
            description="PolicyName indicates the policy definition which the policy binding binded to",
        ),
        Column(
            "ParamRef",
            description="ParamRef indicates the param resource which sets the configration param",
        ),
        age_column(),
    ),
    row=_binding_row,
)

TABLES: dict[str, TableDef] = {
    "mutatingwebhookconfigurations": WEBHOOK_CONFIGURATIONS,
    "validatingwebhookconfigurations": WEBHOOK_CONFIGURATIONS,
    "validatingadmissionpolicies": VALIDATING_ADMISSION_POLICIES,
    "validatingadmissionpolicybindings": VALIDATING_ADMISSION_POLICY_BINDINGS,
}
