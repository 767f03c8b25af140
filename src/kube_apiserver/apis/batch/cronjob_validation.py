"""Validation of batch/v1 CronJobs (everything except metadata), as kube-apiserver 1.33 does it.

A CronJob's schedule must parse as robfig/cron's standard syntax (schedule.py) and may not carry
a `TZ=` prefix (the `timeZone` field replaces it; older objects that had one keep it), its time
zone must be an IANA zone, and its job template is a JobSpec without a selector of its own.
"""

from __future__ import annotations

from kube_apiserver.apis.batch.schedule import schedule_error, time_zone_errors
from kube_apiserver.apis.batch.validation import Obj, validate_job_spec_fields
from kube_apiserver.apis.core.formats import _nonnegative, go_label_selector
from kube_apiserver.apis.meta.field import (
    FieldError,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str, is_set

MAX_CRONJOB_NAME_LENGTH = 52  # the controller appends "-<11 digits>" to name the jobs it makes
CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"]


def _job_template(job_template: Obj, fld: str) -> list[FieldError]:
    spec = get_dict(job_template, "spec")
    errs = validate_job_spec_fields(spec, path(fld, "spec"))
    if isinstance(spec.get("selector"), dict):
        errs.append(
            invalid_rendered(
                path(fld, "spec", "selector"),
                go_label_selector(spec["selector"]),
                "`selector` will be auto-generated",
            )
        )
    if spec.get("manualSelector") is True:
        errs.append(not_supported(path(fld, "spec", "manualSelector"), True, ["nil", "false"]))
    return errs


def _cronjob_spec(spec: Obj, old_spec: Obj | None) -> list[FieldError]:
    errs: list[FieldError] = []
    schedule = get_str(spec, "schedule")
    if not schedule:
        errs.append(required("spec.schedule"))
    else:
        why = schedule_error(schedule)
        if why:
            errs.append(invalid("spec.schedule", schedule, why))
        # Schedules that already used TZ= (before timeZone existed) may keep it.
        allow_tz = old_spec is not None and "TZ" in get_str(old_spec, "schedule")
        if allow_tz and "TZ" in schedule and is_set(spec, "timeZone"):
            errs.append(
                invalid(
                    "spec.schedule",
                    schedule,
                    "cannot use both timeZone field and TZ or CRON_TZ in schedule",
                )
            )
        elif not allow_tz and "TZ" in schedule:
            errs.append(
                invalid(
                    "spec.schedule",
                    schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                )
            )
    errs += _nonnegative("spec.startingDeadlineSeconds", get_int(spec, "startingDeadlineSeconds"))
    zone = spec.get("timeZone")
    if (old_spec is None or zone != old_spec.get("timeZone")) and zone is not None:
        zone_text = zone if isinstance(zone, str) else ""
        errs += [invalid("spec.timeZone", zone_text, m) for m in time_zone_errors(zone_text)]
    policy = get_str(spec, "concurrencyPolicy")
    if not policy:
        errs.append(required("spec.concurrencyPolicy"))
    elif policy not in CONCURRENCY_POLICIES:
        errs.append(not_supported("spec.concurrencyPolicy", policy, CONCURRENCY_POLICIES))
    errs += _job_template(get_dict(spec, "jobTemplate"), "spec.jobTemplate")
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        errs += _nonnegative(path("spec", key), get_int(spec, key))
    return errs


def validate_cronjob(obj: Obj) -> list[FieldError]:
    errs = _cronjob_spec(get_dict(obj, "spec"), None)
    name = get_str(get_dict(obj, "metadata"), "name")
    if len(name) > MAX_CRONJOB_NAME_LENGTH:
        errs.append(
            invalid(
                "metadata.name", name, f"must be no more than {MAX_CRONJOB_NAME_LENGTH} characters"
            )
        )
    return errs


def validate_cronjob_update(new: Obj, old: Obj) -> list[FieldError]:
    # The 52-character name limit is not checked again, so older long names stay updatable.
    return _cronjob_spec(get_dict(new, "spec"), get_dict(old, "spec"))
