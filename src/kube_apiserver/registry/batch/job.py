"""Jobs: a selector generated from the Job's UID, generation counting spec changes, a
`status` subresource whose updates are checked as status transitions, and pods orphaned by a
delete that names no propagation policy."""

from __future__ import annotations

from kube_apiserver.apis.batch import defaults, fields, printers, validation
from kube_apiserver.apis.batch.job_status import validate_job_status_update
from kube_apiserver.apis.core import warnings
from kube_apiserver.registry.rest import Obj, Strategy

GENERATED_NAME_LABELS = (validation.LEGACY_JOB_NAME_LABEL, validation.JOB_NAME_LABEL)
GENERATED_UID_LABELS = (validation.LEGACY_CONTROLLER_UID_LABEL, validation.CONTROLLER_UID_LABEL)


def generate_selector(job: Obj) -> None:
    """Label the pod template with the Job's name and UID and select the UID label, keeping
    any value the client set itself (validation then refuses a wrong one)."""
    meta, spec = job["metadata"], job["spec"]
    template = spec.get("template")
    if not isinstance(template, dict):
        return  # decoding refuses a template of the wrong type; nothing to label
    template_meta = template.setdefault("metadata", {})
    labels = template_meta.get("labels")
    if not isinstance(labels, dict):
        labels = template_meta["labels"] = {}
    for key in GENERATED_NAME_LABELS:
        labels.setdefault(key, meta.get("name", ""))
    for key in GENERATED_UID_LABELS:
        labels.setdefault(key, meta.get("uid", ""))
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    if not isinstance(selector.get("matchLabels"), dict):
        selector["matchLabels"] = {}
    selector["matchLabels"].setdefault(validation.CONTROLLER_UID_LABEL, meta.get("uid", ""))


def _own_labels(job: Obj) -> None:
    """A Job without labels of its own shows its template's: defaulting shares the template's
    labels with the Job (so the generated ones show on both), and Kubernetes defaults a Job
    read back from storage the same way. The Job keeps its own copy here."""
    meta = job.get("metadata") or {}
    labels = meta.get("labels")
    template_meta = ((job.get("spec") or {}).get("template") or {}).get("metadata") or {}
    template_labels = template_meta.get("labels")
    if (
        isinstance(template_labels, dict)
        and template_labels
        and (not labels or labels is template_labels)
    ):
        meta["labels"] = dict(template_labels)


class JobStrategy(Strategy):
    warner = staticmethod(warnings.WORKLOAD)
    table = printers.TABLES["jobs"]
    tracks_generation = True
    status_subresource = True
    selectable_fields = (fields.SUCCESSFUL,)
    # batch/v1 keeps its historic default: deleting a Job orphans its pods unless asked otherwise.
    default_propagation_policy = "Orphan"
    defaulter = staticmethod(defaults.default_job)
    validator = staticmethod(validation.validate_job)
    update_validator = staticmethod(validation.validate_job_update)
    status_update_validator = staticmethod(validate_job_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        spec = obj.get("spec")
        if isinstance(spec, dict) and spec.get("manualSelector") is not True:
            generate_selector(obj)
        _own_labels(obj)
        obj["status"] = {}

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        _own_labels(new)

    def fields(self, obj: Obj) -> dict[str, str]:
        return fields.job_fields(obj)
