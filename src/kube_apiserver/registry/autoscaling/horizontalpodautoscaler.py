"""HorizontalPodAutoscalers: stored once as autoscaling/v2, served at v2 and (converted) at v1.

Both versions share the v2 strategy: a v1 write is defaulted as v1, converted to v2 and then
defaulted and validated as any v2 write, as Kubernetes does through its internal version. Status
changes only through the `status` subresource, at either version. The tolerance of scaling
rules belongs to the HPAConfigurableTolerance feature, alpha and off in 1.33, so it is dropped
unless the stored object already has one.
"""

from __future__ import annotations

from kube_apiserver.apis.autoscaling import conversion, defaults, printers, validation
from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.generic.view import ConvertedStore
from kube_apiserver.registry.rest import Obj, Strategy


def _rules(obj: Obj) -> list[Obj]:
    behavior = (obj.get("spec") or {}).get("behavior")
    if not isinstance(behavior, dict):
        return []
    return [r for r in (behavior.get("scaleUp"), behavior.get("scaleDown")) if isinstance(r, dict)]


def _drop_disabled_fields(new: Obj, old: Obj | None) -> None:
    if old is not None and any(r.get("tolerance") is not None for r in _rules(old)):
        return
    for rules in _rules(new):
        rules.pop("tolerance", None)


class HorizontalPodAutoscalerStrategy(Strategy):
    table = printers.TABLES["horizontalpodautoscalers"]
    status_subresource = True
    defaulter = staticmethod(defaults.default_hpa)
    validator = staticmethod(validation.validate_hpa)
    update_validator = staticmethod(validation.validate_hpa_update)
    status_update_validator = staticmethod(validation.validate_hpa_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        # v2 keeps nothing in the annotations other versions use to carry v2 fields.
        conversion.drop_round_trip_annotations(obj.setdefault("metadata", {}))
        obj["status"] = defaults.status_shape({})
        _drop_disabled_fields(obj, None)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        conversion.drop_round_trip_annotations(new.setdefault("metadata", {}))
        _drop_disabled_fields(new, old)


class HorizontalPodAutoscalerV1Strategy(Strategy):
    """autoscaling/v1's table: the v2 columns, printed from the converted object."""

    table = printers.HPA_V1


class HorizontalPodAutoscalerV1Store(ConvertedStore):
    """autoscaling/v1 over the autoscaling/v2 store."""

    def __init__(self, resource: Resource, stored: Store) -> None:
        super().__init__(resource, stored, HorizontalPodAutoscalerV1Strategy(resource))

    def to_stored(self, obj: Obj) -> Obj:
        defaults.default_hpa_v1(obj)
        return conversion.to_v2(obj)

    def from_stored(self, obj: Obj) -> Obj:
        return conversion.to_v1(obj)
