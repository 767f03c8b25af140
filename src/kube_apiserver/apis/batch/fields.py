"""Selectable fields of batch/v1 Jobs: the object's name and namespace, and `status.successful`
(the succeeded count as a decimal string, "0" when none has succeeded)."""

from __future__ import annotations

from kube_apiserver.apis.core.fields import object_meta_fields

SUCCESSFUL = "status.successful"


def job_fields(job: dict) -> dict[str, str]:
    status = job.get("status")
    succeeded = status.get("succeeded") if isinstance(status, dict) else None
    count = succeeded if isinstance(succeeded, int) and not isinstance(succeeded, bool) else 0
    return {**object_meta_fields(job), SUCCESSFUL: str(count)}
