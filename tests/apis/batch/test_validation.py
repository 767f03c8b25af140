"""batch/v1 validation: Kubernetes' field paths and messages, on defaulted objects."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.batch import cronjob_validation as cv
from kube_apiserver.apis.batch import validation as v
from kube_apiserver.apis.batch.defaults import default_cronjob, default_job
from kube_apiserver.apis.batch.job_status import validate_job_status_update
from kube_apiserver.registry.batch.job import generate_selector

UID = "0b6c3a8e-0000-4000-8000-000000000001"


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def job(manual: bool = False, **spec: Any) -> dict:
    obj = {
        "metadata": {"name": "pi", "namespace": "default", "uid": UID},
        "spec": {
            "template": {
                "metadata": {"labels": {"app": "pi"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "perl"}]},
            },
            **spec,
        },
    }
    if manual:
        obj["spec"]["manualSelector"] = True
    default_job(obj)
    if not manual:
        generate_selector(obj)
    return obj


def test_a_job_with_a_generated_selector_is_valid():
    assert v.validate_job(job()) == []


def test_a_job_with_a_matching_manual_selector_is_valid():
    assert v.validate_job(job(manual=True, selector={"matchLabels": {"app": "pi"}})) == []


JOB_CASES = [
    (
        {"restart": "Always"},
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ),
    (
        {"parallelism": -1},
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        {"backoffLimit": -2},
        "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
    ),
    (
        {"completionMode": "Sometimes"},
        'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
    ),
    (
        {"backoffLimitPerIndex": 1},
        "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
    ),
    (
        {"podReplacementPolicy": "Never"},
        'spec.podReplacementPolicy: Unsupported value: "Never": supported values: "Failed", "TerminatingOrFailed"',
    ),
    (
        {"completionMode": "Indexed", "completions": None, "parallelism": 2},
        "spec.completions: Required value: when completion mode is Indexed",
    ),
    (
        {"managedBy": "kueue"},
        'spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")',
    ),
    (
        {
            "podFailurePolicy": {
                "rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [0]}}]
            }
        },
        "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
    ),
    (
        {
            "podFailurePolicy": {
                "rules": [
                    {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [3, 1]}}
                ]
            }
        },
        "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 1}: must be ordered",
    ),
    (
        {"podFailurePolicy": {"rules": [{"action": "Retry", "onPodConditions": [{"type": "X"}]}]}},
        'spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
    ),
    (
        {"podFailurePolicy": {"rules": [{"action": "Ignore"}]}},
        "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
    ),
    (
        {"successPolicy": {"rules": [{"succeededCount": 1}]}},
        "spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{"
        "batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(0xc000010000)}}}: "
        "requires indexed completion mode",
    ),
    (
        {
            "completionMode": "Indexed",
            "completions": 3,
            "successPolicy": {"rules": [{"succeededIndexes": "0-5"}]},
        },
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-5": error parsing succeededIndexes: too large index: "5"',
    ),
]


@pytest.mark.parametrize(("change", "expected"), JOB_CASES, ids=[e for _, e in JOB_CASES])
def test_job_rules(change: dict, expected: str) -> None:
    change = dict(change)
    restart = change.pop("restart", None)
    obj = job(**{k: val for k, val in change.items() if val is not None})
    if restart:
        obj["spec"]["template"]["spec"]["restartPolicy"] = restart
    assert expected in messages(v.validate_job(obj))


def test_a_manual_selector_must_select_the_template():
    errs = messages(v.validate_job(job(manual=True, selector={"matchLabels": {"app": "x"}})))
    assert errs == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: '
        "`selector` does not match template `labels`"
    ]


def test_a_generated_selector_needs_the_generated_labels():
    obj = job()
    obj["spec"]["template"]["metadata"]["labels"]["job-name"] = "other"
    assert (
        "spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"
        f'"app":"pi", "batch.kubernetes.io/controller-uid":"{UID}", "batch.kubernetes.io/job-name":"pi", '
        f'"controller-uid":"{UID}", "job-name":"other"}}: must be \'pi\''
    ) in messages(v.validate_job(obj))


def test_an_indexed_job_name_must_leave_room_for_the_index():
    obj = job(completionMode="Indexed", completions=10)
    obj["metadata"]["name"] = "a" * 62
    assert messages(v.validate_job(obj))[-1] == (
        f'metadata.name: Invalid value: "{"a" * 62}": will not able to create pod with invalid '
        f"DNS label: {'a' * 62}-9"
    )


def test_the_template_of_a_job_is_immutable():
    old = job()
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:2"
    errs = v.validate_job_update(new, old)
    assert [e.field for e in errs] == ["spec.template"]
    assert str(errs[0]).startswith("spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:")
    assert str(errs[0]).endswith(": field is immutable")


def test_completions_and_selector_are_immutable_but_parallelism_is_not():
    old = job()
    new = copy.deepcopy(old)
    new["spec"]["completions"] = 3
    new["spec"]["parallelism"] = 2
    assert messages(v.validate_job_update(new, old)) == [
        "spec.completions: Invalid value: 3: field is immutable"
    ]


def test_an_elastic_indexed_job_scales_completions_with_parallelism():
    old = job(completionMode="Indexed", completions=2, parallelism=2)
    new = copy.deepcopy(old)
    new["spec"]["completions"] = new["spec"]["parallelism"] = 4
    assert v.validate_job_update(new, old) == []
    new["spec"]["parallelism"] = 3
    assert messages(v.validate_job_update(new, old)) == [
        "spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism"
    ]


def test_a_suspended_job_that_never_started_may_change_its_node_selector():
    old = job(suspend=True)
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["nodeSelector"] = {"zone": "a"}
    assert v.validate_job_update(new, old) == []


def test_status_counters_may_not_go_back():
    old = job()
    old["status"] = {"failed": 2, "succeeded": 1}
    new = copy.deepcopy(old)
    new["status"] = {"failed": 1, "succeeded": 0}
    assert messages(validate_job_status_update(new, old)) == [
        "status.failed: Invalid value: 1: cannot decrease the failed counter",
        "status.succeeded: Invalid value: 0: cannot decrease the succeeded counter",
    ]


def test_a_finished_job_needs_a_start_time_and_no_active_pods():
    old = job()
    new = copy.deepcopy(old)
    new["status"] = {
        "active": 1,
        "conditions": [{"type": "Failed", "status": "True"}],
    }
    assert messages(validate_job_status_update(new, old)) == [
        "status.active: Invalid value: 1: active>0 is invalid for finished job",
        "status.startTime: Required value: startTime is required for finished job",
    ]


# ---- CronJobs ----


def cronjob(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {
            "schedule": "*/5 * * * *",
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "OnFailure",
                            "containers": [{"name": "c", "image": "busybox"}],
                        }
                    }
                }
            },
            **spec,
        },
    }
    default_cronjob(obj)
    return obj


def test_a_cronjob_is_valid():
    assert cv.validate_cronjob(cronjob(timeZone="Europe/Paris")) == []


CRONJOB_CASES = [
    ({"schedule": ""}, "spec.schedule: Required value"),
    (
        {"schedule": "* * *"},
        'spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]',
    ),
    (
        {"schedule": "0 25 * * *"},
        'spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25',
    ),
    (
        {"schedule": "@every 5x"},
        'spec.schedule: Invalid value: "@every 5x": failed to parse duration @every 5x: '
        'time: unknown unit "x" in duration "5x"',
    ),
    (
        {"schedule": "TZ=UTC 0 * * * *"},
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, '
        "use timeZone field instead",
    ),
    (
        {"timeZone": "Mars/Olympus"},
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    ),
    (
        {"timeZone": ""},
        'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string',
    ),
    (
        {"timeZone": "Local"},
        'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in '
        "https://www.iana.org/time-zones",
    ),
    (
        {"concurrencyPolicy": "Sometimes"},
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ),
    (
        {"successfulJobsHistoryLimit": -1},
        "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
    ),
]


@pytest.mark.parametrize(("change", "expected"), CRONJOB_CASES, ids=[e for _, e in CRONJOB_CASES])
def test_cronjob_rules(change: dict, expected: str) -> None:
    assert expected in messages(cv.validate_cronjob(cronjob(**change)))


def test_a_cronjobs_job_template_may_not_bring_a_selector_or_restart_always():
    obj = cronjob()
    job_spec = obj["spec"]["jobTemplate"]["spec"]
    job_spec["selector"] = {"matchLabels": {"a": "b"}}
    job_spec["template"]["spec"]["restartPolicy"] = "Always"
    assert messages(cv.validate_cronjob(obj)) == [
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        "spec.jobTemplate.spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{a: b,},"
        "MatchExpressions:[]LabelSelectorRequirement{},}: `selector` will be auto-generated",
    ]


def test_a_cronjob_name_leaves_room_for_the_job_suffix():
    obj = cronjob()
    obj["metadata"]["name"] = "c" * 53
    assert messages(cv.validate_cronjob(obj)) == [
        f'metadata.name: Invalid value: "{"c" * 53}": must be no more than 52 characters'
    ]
    assert cv.validate_cronjob_update(obj, obj) == []
