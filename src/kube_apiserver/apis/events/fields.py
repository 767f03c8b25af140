"""Field labels of events.k8s.io/v1 Events, and the core/v1 labels they stand for.

Kubernetes keeps one Event storage and converts this API's field labels (`regarding.*`,
`reportingController`) to the core ones before selecting, so that a selector means the same
whichever group it is sent to.
"""

from __future__ import annotations

from kube_apiserver.apis.meta.fields import FieldSelector

_RENAMED = {"reportingController": "reportingComponent", "deprecatedSource": "source"}


def to_core_label(label: str) -> str:
    if label.startswith("regarding."):
        return "involvedObject." + label.removeprefix("regarding.")
    return _RENAMED.get(label, label)


def to_core_selector(selector: FieldSelector) -> FieldSelector:
    return FieldSelector(
        (to_core_label(name), op, value) for name, op, value in selector.requirements
    )
