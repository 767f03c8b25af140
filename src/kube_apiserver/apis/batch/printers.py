"""Table printers for batch/v1: the columns `kubectl get jobs` and `kubectl get cronjobs` show.

Kubernetes documents the CronJob columns with the batch/v1beta1 field docs, which this server's
schema data (1.33, where v1beta1 is gone) does not carry; where that text differs from batch/v1's
(the time zone's, written when it was a beta feature) it is completed here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.apps.printers import container_cells
from kube_apiserver.apis.meta.table import (
    NONE,
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    format_label_selector,
    human_duration,
    name_column,
    object_name,
    parse_time,
    since,
)

BATCH = "io.k8s.api.batch.v1."
_CONTAINERS = Column(
    "Containers", priority=1, description="Names of each container in the template."
)
_IMAGES = Column(
    "Images", priority=1, description="Images referenced by each container in the template."
)
_SELECTOR = Column("Selector", priority=1, description=field_doc(BATCH + "JobSpec", "selector"))
_TIME_ZONE_BETA = " This is beta field and must be enabled via the `CronJobTimeZone` feature gate."


def _true_condition(status: dict, kind: str) -> bool:
    return any(
        isinstance(c, dict) and c.get("type") == kind and c.get("status") == "True"
        for c in status.get("conditions") or []
    )


def _job_status(job: dict[str, Any], status: dict) -> str:
    for kind, shown in (("Complete", "Complete"), ("Failed", "Failed")):
        if _true_condition(status, kind):
            return shown
    if (job.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    for kind in ("Suspended", "FailureTarget"):
        if _true_condition(status, kind):
            return kind
    return "Running"


def _completions(spec: dict, status: dict) -> str:
    succeeded = status.get("succeeded") or 0
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = spec.get("parallelism") or 0
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _duration(status: dict, now: datetime) -> str:
    start = parse_time(status.get("startTime"))
    if start is None:
        return ""
    end = parse_time(status.get("completionTime"))
    if end is None:
        return since(status.get("startTime"), now)
    return human_duration((end - start).total_seconds())


def _job_row(job: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = job.get("spec") or {}, job.get("status") or {}
    names, images = container_cells(((spec.get("template") or {}).get("spec")) or {})
    return [
        object_name(job),
        _job_status(job, status),
        _completions(spec, status),
        _duration(status, now),
        age(job, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


JOBS = TableDef(
    columns=(
        name_column(),
        Column("Status", description="Status of the job."),
        Column("Completions", description=field_doc(BATCH + "JobStatus", "succeeded")),
        Column("Duration", description="Time required to complete the job."),
        age_column(),
        _CONTAINERS,
        _IMAGES,
        _SELECTOR,
    ),
    row=_job_row,
)


def _bool_pointer(value: Any) -> str:
    if value is None:
        return "<unset>"
    return "True" if value is True else "False"


def _cronjob_row(cronjob: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = cronjob.get("spec") or {}, cronjob.get("status") or {}
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    names, images = container_cells(((job_spec.get("template") or {}).get("spec")) or {})
    last = status.get("lastScheduleTime")
    return [
        object_name(cronjob),
        spec.get("schedule", ""),
        spec["timeZone"] if spec.get("timeZone") is not None else NONE,
        _bool_pointer(spec.get("suspend")),
        len(status.get("active") or []),
        since(last, now) if last is not None else NONE,
        age(cronjob, now),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]


def _cronjob_doc(field: str, kind: str = "CronJobSpec") -> str:
    return field_doc(BATCH + kind, field)


CRONJOBS = TableDef(
    columns=(
        name_column(),
        Column("Schedule", description=_cronjob_doc("schedule")),
        Column("Timezone", description=_cronjob_doc("timeZone") + _TIME_ZONE_BETA),
        Column("Suspend", "boolean", description=_cronjob_doc("suspend")),
        Column("Active", "integer", description=_cronjob_doc("active", "CronJobStatus")),
        Column("Last Schedule", description=_cronjob_doc("lastScheduleTime", "CronJobStatus")),
        age_column(),
        _CONTAINERS,
        _IMAGES,
        _SELECTOR,
    ),
    row=_cronjob_row,
)

TABLES: dict[str, TableDef] = {"jobs": JOBS, "cronjobs": CRONJOBS}
