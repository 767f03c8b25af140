"""flowcontrol.apiserver.k8s.io/v1 resources, their storage, and the API Priority and
Fairness configuration kube-apiserver creates at start (see apis/flowcontrol/bootstrap.py)."""

from __future__ import annotations

from kube_apiserver.apis.flowcontrol import bootstrap
from kube_apiserver.apis.flowcontrol import resources as flowcontrol
from kube_apiserver.registry.flowcontrol.flowschema import FlowSchemaStrategy
from kube_apiserver.registry.flowcontrol.prioritylevelconfiguration import (
    PriorityLevelConfigurationStrategy,
)
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(flowcontrol.flowschemas, FlowSchemaStrategy, "/registry/flowschemas/", STATUS),
    ResourceSpec(
        flowcontrol.prioritylevelconfigurations,
        PriorityLevelConfigurationStrategy,
        "/registry/prioritylevelconfigurations/",
        STATUS,
    ),
)

BOOTSTRAP = tuple(
    (flowcontrol.prioritylevelconfigurations, o) for o in bootstrap.priority_levels()
) + tuple((flowcontrol.flowschemas, o) for o in bootstrap.flow_schemas())
