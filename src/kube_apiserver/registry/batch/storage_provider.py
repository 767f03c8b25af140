"""batch/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.batch import protobuf
from kube_apiserver.apis.batch import resources as batch
from kube_apiserver.registry.batch.cronjob import CronJobStrategy
from kube_apiserver.registry.batch.job import JobStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(batch.jobs, JobStrategy, "/registry/jobs/", STATUS),
    ResourceSpec(batch.cronjobs, CronJobStrategy, "/registry/cronjobs/", STATUS),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
