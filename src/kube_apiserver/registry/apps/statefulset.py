"""StatefulSets: generation counts spec changes; `status` and `scale` subresources.

A StatefulSet's name becomes each pod's hostname, so it must be a DNS label. The rolling
update's `maxUnavailable` belongs to the MaxUnavailableStatefulSet feature, alpha and off in
1.33: it is dropped unless the stored object already has it.
"""

from __future__ import annotations

from kube_apiserver.apis.apps import defaults, printers
from kube_apiserver.apis.apps import statefulset_validation as validation
from kube_apiserver.apis.core import warnings
from kube_apiserver.apis.meta.validation import dns1123_label_errors
from kube_apiserver.registry.rest import Obj, Strategy


def _rolling_update(obj: Obj) -> dict:
    strategy = (obj.get("spec") or {}).get("updateStrategy")
    rolling = strategy.get("rollingUpdate") if isinstance(strategy, dict) else None
    return rolling if isinstance(rolling, dict) else {}


class StatefulSetStrategy(Strategy):
    name_rule = staticmethod(dns1123_label_errors)
    warner = staticmethod(warnings.WORKLOAD)
    table = printers.TABLES["statefulsets"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_statefulset)
    validator = staticmethod(validation.validate_statefulset)
    update_validator = staticmethod(validation.validate_statefulset_update)
    status_update_validator = staticmethod(validation.validate_statefulset_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"replicas": 0, "availableReplicas": 0}
        _rolling_update(obj).pop("maxUnavailable", None)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        if "maxUnavailable" not in _rolling_update(old):
            _rolling_update(new).pop("maxUnavailable", None)
