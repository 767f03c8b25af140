"""Defaulting of batch/v1 Jobs and CronJobs, as kube-apiserver 1.33 applies it after decoding.

A Job gets its counts, backoff limit, completion mode, suspend flag, pod replacement policy
and manualSelector; a CronJob its concurrency policy, suspend flag and history limits. The
Job defaults belong to the Job kind, not to JobSpec, so a CronJob's `jobTemplate.spec` gets
only the nested ones (pod failure policy patterns, the pod template's PodSpec defaults). Pod
templates read back with `metadata.creationTimestamp: null`, as a 1.33 server's Go serializer
writes an embedded ObjectMeta's zero time.
"""

from __future__ import annotations

from kube_apiserver.apis.core.defaults import default_pod_spec
from kube_apiserver.apis.meta.unstructured import dict_items, ensure_dict

MAX_INT32 = 2**31 - 1


def _default_template(template: dict) -> None:
    ensure_dict(template, "metadata").setdefault("creationTimestamp", None)
    default_pod_spec(ensure_dict(template, "spec"))


def _default_job_spec_parts(spec: dict) -> None:
    """What every JobSpec gets, in a Job and in a CronJob's job template alike."""
    policy = spec.get("podFailurePolicy")
    for rule in dict_items(policy, "rules"):
        for pattern in dict_items(rule, "onPodConditions"):
            if not pattern.get("status"):
                pattern["status"] = "True"
    _default_template(ensure_dict(spec, "template"))


def default_job(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    meta = ensure_dict(obj, "metadata")
    template_labels = ensure_dict(ensure_dict(spec, "template"), "metadata").get("labels")
    if isinstance(template_labels, dict) and not meta.get("labels"):
        # Kubernetes assigns the template's labels map itself, not a copy: labels the server
        # adds to the template later (the generated selector's) show on the Job too.
        meta["labels"] = template_labels
    if spec.get("completionMode") is None:
        spec["completionMode"] = "NonIndexed"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = (
            "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed"
        )
    if spec.get("manualSelector") is None:
        spec["manualSelector"] = False
    _default_job_spec_parts(spec)
    obj.setdefault("status", {})


def default_cronjob(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("successfulJobsHistoryLimit") is None:
        spec["successfulJobsHistoryLimit"] = 3
    if spec.get("failedJobsHistoryLimit") is None:
        spec["failedJobsHistoryLimit"] = 1
    job_template = ensure_dict(spec, "jobTemplate")
    ensure_dict(job_template, "metadata").setdefault("creationTimestamp", None)
    _default_job_spec_parts(ensure_dict(job_template, "spec"))
    obj.setdefault("status", {})
