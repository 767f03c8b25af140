"""DaemonSets: generation counts spec changes; a `status` subresource; and the template
generation apps/v1 keeps in the `deprecated.daemonset.template.generation` annotation (the
internal `spec.templateGeneration`): 1 on create, one more at each change of the template."""

from __future__ import annotations

from kube_apiserver.apis.apps import daemonset_validation as validation
from kube_apiserver.apis.apps import defaults, printers
from kube_apiserver.apis.core import warnings
from kube_apiserver.registry.rest import Obj, Strategy

TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _template_generation(obj: Obj) -> int:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    value = annotations.get(TEMPLATE_GENERATION)
    return int(value) if isinstance(value, str) and value.isdigit() else 0


def _set_template_generation(obj: Obj, value: int) -> None:
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta.get("annotations"), dict):
        meta["annotations"] = {}
    meta["annotations"][TEMPLATE_GENERATION] = str(value)


def _template(obj: Obj) -> object:
    return (obj.get("spec") or {}).get("template")


class DaemonSetStrategy(Strategy):
    warner = staticmethod(warnings.WORKLOAD)
    table = printers.TABLES["daemonsets"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_daemonset)
    validator = staticmethod(validation.validate_daemonset)
    update_validator = staticmethod(validation.validate_daemonset_update)
    status_update_validator = staticmethod(validation.validate_daemonset_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {
            "currentNumberScheduled": 0,
            "numberMisscheduled": 0,
            "desiredNumberScheduled": 0,
            "numberReady": 0,
        }
        _set_template_generation(obj, max(_template_generation(obj), 1))

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        generation = _template_generation(old)
        if _template(new) != _template(old):
            generation += 1
        _set_template_generation(new, generation)
