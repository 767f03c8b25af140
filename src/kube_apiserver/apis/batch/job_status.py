"""Validation of Job status updates (the `status` subresource), as kube-apiserver 1.33 does it.

With the JobManagedBy feature (on by default in 1.33) a Job's status may be written by
controllers other than Kubernetes' own, so the server checks that status transitions make
sense: counters do not go back, terminal conditions stay, a finished Job has a start time
and no active pods. Most rules apply only when the fields they read change, so a Job whose
status is already inconsistent can still receive unrelated updates.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.batch import job_policies as policies
from kube_apiserver.apis.core.formats import NONNEGATIVE, go_quote
from kube_apiserver.apis.events.validation import go_time
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    invalid,
    invalid_rendered,
    path,
    required,
)
from kube_apiserver.apis.meta.table import parse_time
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_int, get_str, is_set

Obj = dict[str, Any]


def _condition(job: Obj, kind: str) -> bool:
    return any(
        get_str(c, "type") == kind and get_str(c, "status") == "True"
        for c in get_dicts(get_dict(job, "status"), "conditions")
    )


def _finished(job: Obj) -> bool:
    return _condition(job, "Complete") or _condition(job, "Failed")


def _go_uids(values: Any) -> str:
    if not isinstance(values, list):
        return "[]types.UID(nil)"
    return (
        "[]types.UID{" + ", ".join(go_quote(v if isinstance(v, str) else "") for v in values) + "}"
    )


def _uncounted(status: Obj) -> list[FieldError]:
    errs: list[FieldError] = []
    uncounted = get_dict(status, "uncountedTerminatedPods")
    seen: set[str] = set()
    for key in ("succeeded", "failed"):
        raw = uncounted.get(key)
        for i, uid in enumerate(raw if isinstance(raw, list) else []):
            at = path("status", "uncountedTerminatedPods", key, i)
            uid = uid if isinstance(uid, str) else ""
            if not uid:
                errs.append(invalid(at, uid, "must not be empty"))
            elif uid in seen:
                errs.append(duplicate(at, uid))
            seen.add(uid)
    return errs


def _no_value(fld: str, detail: str) -> FieldError:
    return policies.invalid_without_value(fld, detail)


def _status_rules(job: Obj, old: Obj) -> list[FieldError]:
    spec, status, old_status = (
        get_dict(job, "spec"),
        get_dict(job, "status"),
        get_dict(old, "status"),
    )

    def changed(key: str) -> bool:
        return status.get(key) != old_status.get(key)

    complete, failed = _condition(job, "Complete"), _condition(job, "Failed")
    failure_target = _condition(job, "FailureTarget")
    criteria_met = _condition(job, "SuccessCriteriaMet")
    complete_changed = complete != _condition(old, "Complete")
    failed_changed = failed != _condition(old, "Failed")
    finished_changed = _finished(job) != _finished(old)
    target_changed = failure_target != _condition(old, "FailureTarget")
    completion_changed = changed("completionTime")
    start_changed = changed("startTime")
    indexes_changed, failed_indexes_changed = changed("completedIndexes"), changed("failedIndexes")

    errs: list[FieldError] = []
    for key in ("active", "succeeded", "failed", "ready", "terminating"):
        value = get_int(status, key)
        if value is not None and value < 0:
            errs.append(invalid(path("status", key), value, NONNEGATIVE))
    errs += _uncounted(status)
    if (complete_changed or failed_changed) and complete and failed:
        errs.append(
            _no_value("status.conditions", "cannot set Complete=True and Failed=true conditions")
        )
    if (complete_changed or target_changed) and complete and failure_target:
        errs.append(
            _no_value(
                "status.conditions", "cannot set Complete=True and FailureTarget=true conditions"
            )
        )
    completion, start = status.get("completionTime"), status.get("startTime")
    if (complete_changed or completion_changed) and completion is not None and not complete:
        errs.append(
            invalid_rendered(
                "status.completionTime",
                go_time(completion),
                "cannot set completionTime when there is no Complete=True condition",
            )
        )
    if (complete_changed or completion_changed) and completion is None and complete:
        errs.append(
            required("status.completionTime", "completionTime is required for Complete jobs")
        )
    if (start_changed or completion_changed) and start is not None and completion is not None:
        began, ended = parse_time(start), parse_time(completion)
        if began and ended and ended < began:
            errs.append(
                invalid_rendered(
                    "status.completionTime",
                    go_time(completion),
                    "completionTime cannot be set before startTime",
                )
            )
    finished = _finished(job)
    active = get_int(status, "active") or 0
    if (finished_changed or changed("active")) and active > 0 and finished:
        errs.append(invalid("status.active", active, "active>0 is invalid for finished job"))
    if (finished_changed or start_changed) and start is None and finished:
        errs.append(required("status.startTime", "startTime is required for finished job"))
    uncounted = get_dict(status, "uncountedTerminatedPods")
    pending = uncounted.get("succeeded") or uncounted.get("failed")
    if (finished_changed or changed("uncountedTerminatedPods")) and finished and pending:
        rendered = (
            f"batch.UncountedTerminatedPods{{Succeeded:{_go_uids(uncounted.get('succeeded'))}, "
            f"Failed:{_go_uids(uncounted.get('failed'))}}}"
        )
        errs.append(
            invalid_rendered(
                "status.uncountedTerminatedPods",
                rendered,
                "uncountedTerminatedPods needs to be empty for finished job",
            )
        )
    errs += _indexes(spec, status, indexes_changed, failed_indexes_changed)
    if criteria_met and failed:
        errs.append(
            _no_value(
                "status.conditions", "cannot set SuccessCriteriaMet=True and Failed=true conditions"
            )
        )
    if criteria_met and failure_target:
        errs.append(
            _no_value(
                "status.conditions",
                "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions",
            )
        )
    if is_set(spec, "successPolicy") and not criteria_met and complete:
        errs.append(
            _no_value(
                "status.conditions",
                "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True",
            )
        )
    return errs


def _indexes(
    spec: Obj, status: Obj, indexes_changed: bool, failed_changed: bool
) -> list[FieldError]:
    errs: list[FieldError] = []
    completions = get_int(spec, "completions")
    completed = get_str(status, "completedIndexes")
    failed = get_str(status, "failedIndexes") if is_set(status, "failedIndexes") else None
    if indexes_changed and completions is not None:
        try:
            policies.count_indexes(completed, completions)
        except ValueError as exc:
            errs.append(
                invalid(
                    "status.completedIndexes", completed, f"error parsing completedIndexes: {exc}"
                )
            )
    if (
        failed_changed
        and completions is not None
        and is_set(spec, "backoffLimitPerIndex")
        and failed is not None
    ):
        try:
            policies.count_indexes(failed, completions)
        except ValueError as exc:
            errs.append(
                invalid("status.failedIndexes", failed, f"error parsing failedIndexes: {exc}")
            )
    if indexes_changed and completed and get_str(spec, "completionMode") != "Indexed":
        errs.append(
            invalid(
                "status.completedIndexes",
                completed,
                "cannot set non-empty completedIndexes when non-indexed completion mode",
            )
        )
    if failed_changed and not is_set(spec, "backoffLimitPerIndex") and failed is not None:
        errs.append(
            invalid(
                "status.failedIndexes",
                failed,
                "cannot set non-null failedIndexes when backoffLimitPerIndex is null",
            )
        )
    if (failed_changed or indexes_changed) and completions is not None and failed is not None:
        overlap = policies.overlap_error(completed, failed, completions)
        if overlap:
            errs.append(invalid("status.failedIndexes", failed, overlap))
    return errs


def _transitions(job: Obj, old: Obj) -> list[FieldError]:
    spec, status, old_status = (
        get_dict(job, "spec"),
        get_dict(job, "status"),
        get_dict(old, "status"),
    )
    errs: list[FieldError] = []
    for kind in ("Failed", "Complete", "FailureTarget"):
        if _condition(old, kind) and not _condition(job, kind):
            errs.append(
                _no_value("status.conditions", f"cannot disable the terminal {kind}=True condition")
            )
    failed, old_failed = get_int(status, "failed") or 0, get_int(old_status, "failed") or 0
    if failed < old_failed:
        errs.append(invalid("status.failed", failed, "cannot decrease the failed counter"))
    # Elastic Indexed Jobs (completions == parallelism) may scale down their succeeded count.
    indexed = get_str(spec, "completionMode") == "Indexed"
    if not indexed or spec.get("completions") != spec.get("parallelism"):
        succeeded, old_succeeded = (
            get_int(status, "succeeded") or 0,
            get_int(old_status, "succeeded") or 0,
        )
        if succeeded < old_succeeded:
            errs.append(
                invalid("status.succeeded", succeeded, "cannot decrease the succeeded counter")
            )
    completion, old_completion = status.get("completionTime"), old_status.get("completionTime")
    if (
        completion is not None
        and old_completion is not None
        and parse_time(completion) != parse_time(old_completion)
    ):
        errs.append(
            invalid_rendered(
                "status.completionTime", go_time(completion), "completionTime cannot be mutated"
            )
        )
    start, old_start = status.get("startTime"), old_status.get("startTime")
    if (
        old_start is not None
        and parse_time(start) != parse_time(old_start)
        and spec.get("suspend") is not True
    ):
        errs.append(required("status.startTime", "startTime cannot be removed for unsuspended job"))
    if _condition(old, "SuccessCriteriaMet") and not _condition(job, "SuccessCriteriaMet"):
        errs.append(
            _no_value("status.conditions", "cannot disable the SuccessCriteriaMet=True condition")
        )
    if (
        _condition(old, "Complete")
        and not _condition(old, "SuccessCriteriaMet")
        and _condition(job, "SuccessCriteriaMet")
    ):
        errs.append(
            _no_value(
                "status.conditions",
                "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions",
            )
        )
    return errs


def validate_job_status_update(new: Obj, old: Obj) -> list[FieldError]:
    return _status_rules(new, old) + _transitions(new, old)
