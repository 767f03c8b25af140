"""ValidatingAdmissionPolicies (with a `status` the policy type checker writes) and the
bindings that apply them. Both count spec changes in their generation."""

from __future__ import annotations

from kube_apiserver.apis.admissionregistration import defaults, printers
from kube_apiserver.apis.admissionregistration import policy_validation as validation
from kube_apiserver.registry.rest import Obj, Strategy


class ValidatingAdmissionPolicyStrategy(Strategy):
    table = printers.TABLES["validatingadmissionpolicies"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_validating_admission_policy)
    validator = staticmethod(validation.validate_validating_admission_policy)
    update_validator = staticmethod(validation.validate_validating_admission_policy_update)
    status_update_validator = staticmethod(
        validation.validate_validating_admission_policy_status_update
    )

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}


class ValidatingAdmissionPolicyBindingStrategy(Strategy):
    table = printers.TABLES["validatingadmissionpolicybindings"]
    tracks_generation = True
    defaulter = staticmethod(defaults.default_validating_admission_policy_binding)
    validator = staticmethod(validation.validate_validating_admission_policy_binding)
    update_validator = staticmethod(validation.validate_validating_admission_policy_binding_update)
