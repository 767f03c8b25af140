"""batch/v1 resources."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

jobs = Resource(
    "batch",
    "v1",
    "jobs",
    "Job",
    "job",
    True,
    categories=("all",),
    subresources=(Subresource("status", "Job"),),
)
cronjobs = Resource(
    "batch",
    "v1",
    "cronjobs",
    "CronJob",
    "cronjob",
    True,
    short_names=("cj",),
    categories=("all",),
    subresources=(Subresource("status", "CronJob"),),
)

RESOURCES = (jobs, cronjobs)
