"""The protobuf wire form of batch/v1 Job and CronJob, which kubectl 1.32+ sends for `create
job`, `create cronjob` and `create job --from=cronjob/...` (a copy of the CronJob's whole job
template). Field numbers are those of k8s.io/api/batch/v1/generated.proto.
"""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    LABEL_SELECTOR,
    OBJECT_META,
    Field,
    Message,
    register_all,
    spec_and_status,
)
from kube_apiserver.apis.core.protobuf_pods import POD_TEMPLATE_SPEC


def _ptr(name: str, kind: str = "int") -> Field:
    """A Go pointer field: its zero was set on purpose and is kept."""
    return Field(name, kind, keep_zero=True)


_POD_FAILURE_POLICY_RULE: Message = {
    1: Field("action"),
    2: Field(
        "onExitCodes",
        "message",
        {
            1: _ptr("containerName", "string"),
            2: Field("operator"),
            3: Field("values", "int", repeated=True),
        },
    ),
    3: Field(
        "onPodConditions",
        "message",
        {1: Field("type"), 2: Field("status")},
        repeated=True,
    ),
}
_SUCCESS_POLICY_RULE: Message = {
    1: _ptr("succeededIndexes", "string"),
    2: _ptr("succeededCount"),
}
JOB_SPEC: Message = {
    1: _ptr("parallelism"),
    2: _ptr("completions"),
    3: _ptr("activeDeadlineSeconds"),
    4: Field("selector", "message", LABEL_SELECTOR),
    5: _ptr("manualSelector", "bool"),
    6: Field("template", "message", POD_TEMPLATE_SPEC),
    7: _ptr("backoffLimit"),
    8: _ptr("ttlSecondsAfterFinished"),
    9: _ptr("completionMode", "string"),
    10: _ptr("suspend", "bool"),
    11: Field(
        "podFailurePolicy",
        "message",
        {1: Field("rules", "message", _POD_FAILURE_POLICY_RULE, repeated=True)},
    ),
    12: _ptr("backoffLimitPerIndex"),
    13: _ptr("maxFailedIndexes"),
    14: _ptr("podReplacementPolicy", "string"),
    15: _ptr("managedBy", "string"),
    16: Field(
        "successPolicy",
        "message",
        {1: Field("rules", "message", _SUCCESS_POLICY_RULE, repeated=True)},
    ),
}
_CRON_JOB_SPEC: Message = {
    1: Field("schedule"),
    2: _ptr("startingDeadlineSeconds"),
    3: Field("concurrencyPolicy"),
    4: _ptr("suspend", "bool"),
    5: Field(
        "jobTemplate",
        "message",
        {1: Field("metadata", "message", OBJECT_META), 2: Field("spec", "message", JOB_SPEC)},
    ),
    6: _ptr("successfulJobsHistoryLimit"),
    7: _ptr("failedJobsHistoryLimit"),
    8: _ptr("timeZone", "string"),
}

MESSAGES: dict[str, Message] = {
    "Job": spec_and_status(JOB_SPEC),
    "CronJob": spec_and_status(_CRON_JOB_SPEC),
}


def register_messages() -> None:
    register_all("batch/v1", MESSAGES)
