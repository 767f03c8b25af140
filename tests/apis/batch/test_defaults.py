"""batch/v1 defaulting: Job and CronJob defaults as kube-apiserver 1.33 applies them, and the
labels and selector a Job gets when it is created."""

from __future__ import annotations

from kube_apiserver.apis.batch.defaults import default_cronjob, default_job
from kube_apiserver.apis.batch.resources import jobs
from kube_apiserver.registry import rest
from kube_apiserver.registry.batch.job import JobStrategy


def pod_template(**spec: object) -> dict:
    return {
        "spec": {
            "restartPolicy": "Never",
            "containers": [{"name": "c", "image": "busybox"}],
            **spec,
        }
    }


def test_a_job_gets_its_counts_modes_and_policies():
    job = {"metadata": {"name": "j"}, "spec": {"template": pod_template()}}
    default_job(job)
    spec = job["spec"]
    assert spec["completions"] == 1
    assert spec["parallelism"] == 1
    assert spec["backoffLimit"] == 6
    assert spec["completionMode"] == "NonIndexed"
    assert spec["suspend"] is False
    assert spec["podReplacementPolicy"] == "TerminatingOrFailed"
    assert spec["manualSelector"] is False
    assert job["status"] == {}


def test_parallelism_alone_leaves_completions_unset():
    job = {"spec": {"parallelism": 3, "template": pod_template()}}
    default_job(job)
    assert "completions" not in job["spec"]
    assert job["spec"]["parallelism"] == 3


def test_completions_alone_gets_parallelism_one():
    job = {"spec": {"completions": 5, "template": pod_template()}}
    default_job(job)
    assert job["spec"]["parallelism"] == 1


def test_a_backoff_limit_per_index_makes_the_global_limit_unbounded():
    job = {"spec": {"backoffLimitPerIndex": 1, "template": pod_template()}}
    default_job(job)
    assert job["spec"]["backoffLimit"] == 2147483647


def test_a_pod_failure_policy_makes_replacement_wait_for_failed_pods():
    policy = {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}
    job = {"spec": {"podFailurePolicy": policy, "template": pod_template()}}
    default_job(job)
    assert job["spec"]["podReplacementPolicy"] == "Failed"
    assert policy["rules"][0]["onPodConditions"][0]["status"] == "True"


def test_the_pod_template_gets_podspec_defaults_and_a_null_creation_timestamp():
    job = {"spec": {"template": pod_template()}}
    default_job(job)
    template = job["spec"]["template"]
    assert template["metadata"] == {"creationTimestamp": None}
    assert template["spec"]["dnsPolicy"] == "ClusterFirst"
    assert template["spec"]["terminationGracePeriodSeconds"] == 30
    assert template["spec"]["containers"][0]["imagePullPolicy"] == "Always"


def test_a_job_without_labels_shares_its_templates_labels():
    job = {
        "metadata": {},
        "spec": {"template": {**pod_template(), "metadata": {"labels": {"a": "b"}}}},
    }
    default_job(job)
    assert job["metadata"]["labels"] == {"a": "b"}


def test_a_job_with_labels_keeps_them():
    template = {**pod_template(), "metadata": {"labels": {"a": "b"}}}
    job = {"metadata": {"labels": {"x": "y"}}, "spec": {"template": template}}
    default_job(job)
    assert job["metadata"]["labels"] == {"x": "y"}


def test_a_cronjob_gets_its_policy_limits_and_suspend_flag():
    cronjob = {
        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": pod_template()}}}
    }
    default_cronjob(cronjob)
    spec = cronjob["spec"]
    assert spec["concurrencyPolicy"] == "Allow"
    assert spec["suspend"] is False
    assert spec["successfulJobsHistoryLimit"] == 3
    assert spec["failedJobsHistoryLimit"] == 1
    assert cronjob["status"] == {}


def test_a_cronjobs_job_template_gets_no_job_defaults():
    cronjob = {"spec": {"jobTemplate": {"spec": {"template": pod_template()}}}}
    default_cronjob(cronjob)
    job_template = cronjob["spec"]["jobTemplate"]
    assert job_template["metadata"] == {"creationTimestamp": None}
    assert set(job_template["spec"]) == {"template"}
    assert job_template["spec"]["template"]["spec"]["schedulerName"] == "default-scheduler"


def created(job: dict) -> dict:
    """A Job as the server creates it: defaulted, its selector generated."""
    rest.before_create(JobStrategy(jobs), job, namespace="default")
    return job


def test_a_created_job_without_labels_shows_its_templates_labels_with_the_generated_ones():
    template = {**pod_template(), "metadata": {"labels": {"app": "pi"}}}
    job = created({"metadata": {"name": "pi"}, "spec": {"template": template}})
    uid = job["metadata"]["uid"]
    assert job["metadata"]["labels"] == {
        "app": "pi",
        "job-name": "pi",
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "batch.kubernetes.io/controller-uid": uid,
    }
    assert job["metadata"]["labels"] is not job["spec"]["template"]["metadata"]["labels"]


def test_a_created_job_with_labels_of_its_own_keeps_only_them():
    template = {**pod_template(), "metadata": {"labels": {"app": "pi"}}}
    job = created(
        {"metadata": {"name": "pi", "labels": {"app": "pi"}}, "spec": {"template": template}}
    )
    assert job["metadata"]["labels"] == {"app": "pi"}
    assert job["spec"]["selector"] == {
        "matchLabels": {"batch.kubernetes.io/controller-uid": job["metadata"]["uid"]}
    }
