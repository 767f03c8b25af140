"""admissionregistration.k8s.io/v1 resources: webhook configurations and admission policies.

All four are cluster-scoped and listed in the `api-extensions` category; of them only
ValidatingAdmissionPolicy has a `status` (written by the policy type checker).
"""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

GROUP = "admissionregistration.k8s.io"
_CATEGORIES = ("api-extensions",)

mutatingwebhookconfigurations = Resource(
    GROUP,
    "v1",
    "mutatingwebhookconfigurations",
    "MutatingWebhookConfiguration",
    "mutatingwebhookconfiguration",
    False,
    categories=_CATEGORIES,
)
validatingwebhookconfigurations = Resource(
    GROUP,
    "v1",
    "validatingwebhookconfigurations",
    "ValidatingWebhookConfiguration",
    "validatingwebhookconfiguration",
    False,
    categories=_CATEGORIES,
)
validatingadmissionpolicies = Resource(
    GROUP,
    "v1",
    "validatingadmissionpolicies",
    "ValidatingAdmissionPolicy",
    "validatingadmissionpolicy",
    False,
    categories=_CATEGORIES,
    subresources=(Subresource("status", "ValidatingAdmissionPolicy"),),
)
validatingadmissionpolicybindings = Resource(
    GROUP,
    "v1",
    "validatingadmissionpolicybindings",
    "ValidatingAdmissionPolicyBinding",
    "validatingadmissionpolicybinding",
    False,
    categories=_CATEGORIES,
)

RESOURCES = (
    mutatingwebhookconfigurations,
    validatingwebhookconfigurations,
    validatingadmissionpolicies,
    validatingadmissionpolicybindings,
)
