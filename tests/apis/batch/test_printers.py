"""batch/v1 table cells: what `kubectl get jobs` and `kubectl get cronjobs` print."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kube_apiserver.apis.batch.printers import CRONJOBS, JOBS

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
CREATED = "2025-01-01T11:00:00Z"


def job(spec: dict, status: dict, **meta: str) -> dict:
    return {
        "metadata": {"name": "j", "creationTimestamp": CREATED, **meta},
        "spec": spec,
        "status": status,
    }


def test_job_columns_are_kubectls():
    assert [c.name for c in JOBS.columns] == [
        "Name",
        "Status",
        "Completions",
        "Duration",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ]
    assert [c.priority for c in JOBS.columns] == [0, 0, 0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        ({"completions": 3}, {"succeeded": 1}, ["Running", "1/3", ""]),
        ({"parallelism": 4}, {}, ["Running", "0/1 of 4", ""]),
        ({"parallelism": 1}, {}, ["Running", "0/1", ""]),
        (
            {"completions": 1},
            {
                "succeeded": 1,
                "startTime": "2025-01-01T11:00:00Z",
                "completionTime": "2025-01-01T11:00:42Z",
                "conditions": [{"type": "Complete", "status": "True"}],
            },
            ["Complete", "1/1", "42s"],
        ),
        ({"completions": 1}, {"startTime": "2025-01-01T11:55:00Z"}, ["Running", "0/1", "5m"]),
        ({}, {"conditions": [{"type": "Suspended", "status": "True"}]}, ["Suspended", "0/1", ""]),
        ({}, {"conditions": [{"type": "Failed", "status": "True"}]}, ["Failed", "0/1", ""]),
    ],
)
def test_job_status_completions_and_duration(spec: dict, status: dict, cells: list) -> None:
    assert JOBS.row(job(spec, status), NOW)[1:4] == cells


def test_a_deleted_job_is_terminating_and_wide_cells_show_its_template():
    spec = {
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}},
        "template": {
            "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}
        },
    }
    row = JOBS.row(job(spec, {}, deletionTimestamp=CREATED), NOW)
    assert row == [
        "j",
        "Terminating",
        "0/1",
        "",
        "60m",
        "a,b",
        "x,y",
        "batch.kubernetes.io/controller-uid=u",
    ]


def test_cronjob_cells():
    cronjob = {
        "metadata": {"name": "c", "creationTimestamp": CREATED},
        "spec": {
            "schedule": "@hourly",
            "timeZone": "Etc/UTC",
            "suspend": False,
            "jobTemplate": {
                "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}
            },
        },
        "status": {"active": [{"name": "c-1"}], "lastScheduleTime": "2025-01-01T11:59:00Z"},
    }
    assert [c.name for c in CRONJOBS.columns][:7] == [
        "Name",
        "Schedule",
        "Timezone",
        "Suspend",
        "Active",
        "Last Schedule",
        "Age",
    ]
    assert CRONJOBS.row(cronjob, NOW) == [
        "c",
        "@hourly",
        "Etc/UTC",
        "False",
        1,
        "60s",
        "60m",
        "a",
        "x",
        "<none>",
    ]
    cronjob["spec"].pop("suspend")
    cronjob["spec"].pop("timeZone")
    cronjob["status"] = {}
    assert CRONJOBS.row(cronjob, NOW)[2:6] == ["<none>", "<unset>", 0, "<none>"]
