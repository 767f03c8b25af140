"""APIServices: a local one (no service reference) is Available as soon as it is created.

Updates must name the resourceVersion they change; the status subresource is how the
availability of a remote APIService gets recorded.
"""

from __future__ import annotations

from kube_apiserver.apis.apiregistration import defaults, printers, validation
from kube_apiserver.apis.meta.validation import path_segment_name_errors
from kube_apiserver.registry.rest import Obj, Strategy, now_rfc3339

LOCAL_REASON = "Local"
LOCAL_MESSAGE = "Local APIServices are always available"


def local_available_condition() -> Obj:
    return {
        "type": "Available",
        "status": "True",
        "lastTransitionTime": now_rfc3339(),
        "reason": LOCAL_REASON,
        "message": LOCAL_MESSAGE,
    }


class APIServiceStrategy(Strategy):
    name_rule = staticmethod(path_segment_name_errors)
    table = printers.TABLES["apiservices"]
    status_subresource = True
    allow_unconditional_update = False
    defaulter = staticmethod(defaults.default_apiservice)
    validator = staticmethod(validation.validate_apiservice)
    update_validator = staticmethod(validation.validate_apiservice_update)
    status_update_validator = staticmethod(validation.validate_apiservice_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        local = not isinstance((obj.get("spec") or {}).get("service"), dict)
        obj["status"] = {"conditions": [local_available_condition()]} if local else {}
