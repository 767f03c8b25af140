"""ControllerRevisions: immutable snapshots of a StatefulSet's or DaemonSet's template."""

from __future__ import annotations

from kube_apiserver.apis.apps import controllerrevision_validation as validation
from kube_apiserver.apis.apps import printers
from kube_apiserver.registry.rest import Strategy


class ControllerRevisionStrategy(Strategy):
    table = printers.TABLES["controllerrevisions"]
    validator = staticmethod(validation.validate_controllerrevision)
    update_validator = staticmethod(validation.validate_controllerrevision_update)
