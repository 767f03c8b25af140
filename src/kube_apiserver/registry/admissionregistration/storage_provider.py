"""admissionregistration.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.admissionregistration import resources as admissionregistration
from kube_apiserver.registry.admissionregistration.validatingadmissionpolicy import (
    ValidatingAdmissionPolicyBindingStrategy,
    ValidatingAdmissionPolicyStrategy,
)
from kube_apiserver.registry.admissionregistration.webhookconfiguration import (
    MutatingWebhookConfigurationStrategy,
    ValidatingWebhookConfigurationStrategy,
)
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(
        admissionregistration.validatingwebhookconfigurations,
        ValidatingWebhookConfigurationStrategy,
        "/registry/validatingwebhookconfigurations/",
    ),
    ResourceSpec(
        admissionregistration.mutatingwebhookconfigurations,
        MutatingWebhookConfigurationStrategy,
        "/registry/mutatingwebhookconfigurations/",
    ),
    ResourceSpec(
        admissionregistration.validatingadmissionpolicies,
        ValidatingAdmissionPolicyStrategy,
        "/registry/validatingadmissionpolicies/",
        STATUS,
    ),
    ResourceSpec(
        admissionregistration.validatingadmissionpolicybindings,
        ValidatingAdmissionPolicyBindingStrategy,
        "/registry/validatingadmissionpolicybindings/",
    ),
)
