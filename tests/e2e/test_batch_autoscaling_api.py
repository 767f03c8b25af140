"""batch/v1 (Jobs, CronJobs) and autoscaling v1/v2 (HorizontalPodAutoscalers) end to end.

Objects are written with kubectl from YAML and read back as a real 1.33 cluster shows them:
defaults, tables (`-o wide` included), the messages of invalid objects and of forbidden updates,
and the status subresources. HPAs are stored once (autoscaling/v2) and served at both versions,
v1 keeping what it cannot express in `autoscaling.alpha.kubernetes.io/*` annotations.
"""

from __future__ import annotations

import json

from conftest import documents, table_cells


def container(name: str, image: str) -> dict:
    return {"name": name, "image": image, "command": ["sh", "-c", "echo hi"]}


def job(name: str, **spec: object) -> dict:
    template = {
        "spec": {"restartPolicy": "Never", "containers": [container("work", "busybox:1.36")]}
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": template, **spec},
    }


def cronjob(name: str, **spec: object) -> dict:
    template = {
        "spec": {"restartPolicy": "OnFailure", "containers": [container("tick", "busybox:1.36")]}
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {
            "schedule": "*/5 * * * *",
            "jobTemplate": {"spec": {"template": template}},
            **spec,
        },
    }


def hpa(version: str, name: str, **spec: object) -> dict:
    return {
        "apiVersion": f"autoscaling/{version}",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "maxReplicas": 10,
            **spec,
        },
    }


CPU_60 = {
    "type": "Resource",
    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}},
}
MEMORY = {
    "type": "Resource",
    "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "500Mi"}},
}


def raw(server, path: str) -> dict:
    resp = server.request("GET", path)
    assert resp.status == 200, resp.body
    return resp.json()


# ---- discovery ----------------------------------------------------------------------------


def test_discovery_lists_jobs_cronjobs_and_hpas_at_both_versions(server):
    batch = {r["name"]: r for r in raw(server, "/apis/batch/v1")["resources"]}
    assert batch["jobs"]["kind"] == "Job" and batch["jobs"]["categories"] == ["all"]
    assert "shortNames" not in batch["jobs"]
    assert batch["cronjobs"]["shortNames"] == ["cj"] and batch["cronjobs"]["categories"] == ["all"]
    assert {"jobs/status", "cronjobs/status"} <= set(batch)
    group = raw(server, "/apis/autoscaling")
    assert [v["version"] for v in group["versions"]] == ["v2", "v1"]
    assert group["preferredVersion"]["version"] == "v2"
    for version in ("v1", "v2"):
        res = {r["name"]: r for r in raw(server, f"/apis/autoscaling/{version}")["resources"]}
        hpas = res["horizontalpodautoscalers"]
        assert (hpas["kind"], hpas["shortNames"], hpas["categories"]) == (
            "HorizontalPodAutoscaler",
            ["hpa"],
            ["all"],
        )
        assert res["horizontalpodautoscalers/status"]["kind"] == "HorizontalPodAutoscaler"


# ---- Jobs and CronJobs ----------------------------------------------------------------------


def test_jobs_and_cronjobs_read_back_with_their_defaults(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(job("pi", backoffLimit=4), cronjob("tick", timeZone="Europe/Paris")),
    )
    got = json.loads(server.kubectl("get", "job/pi", "cronjob/tick", "-n", ns, "-o", "json").stdout)
    pi, tick = got["items"]
    uid = pi["metadata"]["uid"]
    spec = pi["spec"]
    assert {
        k: spec[k] for k in ("backoffLimit", "completions", "parallelism", "completionMode")
    } == {
        "backoffLimit": 4,
        "completions": 1,
        "parallelism": 1,
        "completionMode": "NonIndexed",
    }
    assert (spec["suspend"], spec["manualSelector"], spec["podReplacementPolicy"]) == (
        False,
        False,
        "TerminatingOrFailed",
    )
    generated = {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "job-name": "pi",
    }
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert spec["template"]["metadata"] == {"creationTimestamp": None, "labels": generated}
    assert pi["metadata"]["labels"] == generated
    assert pi["metadata"]["generation"] == 1
    assert spec["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert pi["status"] == {}
    cron = tick["spec"]
    assert (cron["concurrencyPolicy"], cron["suspend"]) == ("Allow", False)
    assert (cron["successfulJobsHistoryLimit"], cron["failedJobsHistoryLimit"]) == (3, 1)
    assert cron["jobTemplate"]["metadata"] == {"creationTimestamp": None}
    assert set(cron["jobTemplate"]["spec"]) == {"template"}  # no Job defaults in a template
    assert tick["status"] == {}


def test_jobs_and_cronjobs_print_as_kubectl_prints_them(server, ns):
    server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            job("one"),
            job("par", parallelism=3),
            cronjob("tick"),
            cronjob("tz", timeZone="Asia/Tokyo", suspend=True),
        ),
    )
    header, jobs = table_cells(server.kubectl("get", "jobs", "-n", ns, "-o", "wide").stdout)
    assert header == [
        "NAME",
        "STATUS",
        "COMPLETIONS",
        "DURATION",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    uid = json.loads(server.kubectl("get", "job/one", "-n", ns, "-o", "json").stdout)["metadata"][
        "uid"
    ]
    assert jobs["one"]["STATUS"] == "Running" and jobs["one"]["COMPLETIONS"] == "0/1"
    assert (jobs["one"]["CONTAINERS"], jobs["one"]["IMAGES"]) == ("work", "busybox:1.36")
    assert jobs["one"]["SELECTOR"] == f"batch.kubernetes.io/controller-uid={uid}"
    assert jobs["par"]["COMPLETIONS"] == "0/1 of 3"
    header, crons = table_cells(server.kubectl("get", "cronjobs", "-n", ns, "-o", "wide").stdout)
    assert header == [
        "NAME",
        "SCHEDULE",
        "TIMEZONE",
        "SUSPEND",
        "ACTIVE",
        "LAST SCHEDULE",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    assert crons["tick"] | {"AGE": ""} == {
        "NAME": "tick",
        "SCHEDULE": "*/5 * * * *",
        "TIMEZONE": "<none>",
        "SUSPEND": "False",
        "ACTIVE": "0",
        "LAST SCHEDULE": "<none>",
        "AGE": "",
        "CONTAINERS": "tick",
        "IMAGES": "busybox:1.36",
        "SELECTOR": "<none>",
    }
    assert (crons["tz"]["TIMEZONE"], crons["tz"]["SUSPEND"]) == ("Asia/Tokyo", "True")
    assert server.kubectl("get", "cj", "-n", ns, "-o", "name").stdout.split() == [
        "cronjob.batch/tick",
        "cronjob.batch/tz",
    ]


def test_invalid_jobs_and_cronjobs_are_refused_with_kubernetes_messages(server, ns):
    restart_always = job("always")
    restart_always["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    manual = job("manual", manualSelector=True, selector={"matchLabels": {"app": "other"}})
    manual["spec"]["template"]["metadata"] = {"labels": {"app": "manual"}}
    result = server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        check=False,
        input=documents(
            restart_always,
            manual,
            cronjob("sched", schedule="*/5 * * *"),
            cronjob("zone", timeZone="Mars/Olympus"),
            cronjob("policy", concurrencyPolicy="Sometimes"),
        ),
    )
    assert result.returncode != 0
    err = result.stderr
    assert (
        'Job.batch "always" is invalid: spec.template.spec.restartPolicy: Required value: '
        'valid values: "OnFailure", "Never"'
    ) in err
    assert (
        'Job.batch "manual" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"manual"}: `selector` does not match template `labels`'
    ) in err
    assert (
        'CronJob.batch "sched" is invalid: spec.schedule: Invalid value: "*/5 * * *": '
        "expected exactly 5 fields, found 4: [*/5 * * *]"
    ) in err
    assert (
        'CronJob.batch "zone" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": '
        "unknown time zone Mars/Olympus"
    ) in err
    assert (
        'CronJob.batch "policy" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": '
        'supported values: "Allow", "Forbid", "Replace"'
    ) in err


def test_a_jobs_template_selector_and_completions_are_immutable(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=documents(job("pi")))
    image = server.kubectl(
        "patch",
        "job/pi",
        "-n",
        ns,
        "--type=json",
        "-p",
        '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:1.37"}]',
        check=False,
    )
    assert (
        'The Job "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{'
        in image.stderr
    )
    assert image.stderr.rstrip().endswith(": field is immutable")
    completions = server.kubectl(
        "patch", "job/pi", "-n", ns, "-p", '{"spec":{"completions":3}}', check=False
    )
    assert (
        'The Job "pi" is invalid: spec.completions: Invalid value: 3: field is immutable'
        in completions.stderr
    )
    uid = json.loads(server.kubectl("get", "job/pi", "-n", ns, "-o", "json").stdout)["metadata"][
        "uid"
    ]
    labels = {"controller-uid": uid, "batch.kubernetes.io/controller-uid": uid}
    selector = server.kubectl(
        "patch",
        "job/pi",
        "-n",
        ns,
        "--type=merge",
        "-p",
        json.dumps({"spec": {"selector": {"matchLabels": labels}}}),
        check=False,
    )
    assert (
        "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{"
        f"batch.kubernetes.io/controller-uid: {uid},controller-uid: {uid},}},"
        "MatchExpressions:[]LabelSelectorRequirement{},}: field is immutable"
    ) in selector.stderr
    # Parallelism may change, and counts as a new generation.
    server.kubectl("patch", "job/pi", "-n", ns, "-p", '{"spec":{"parallelism":2}}')
    out = server.kubectl("get", "job/pi", "-n", ns, "-o", "jsonpath={.metadata.generation}").stdout
    assert out == "2"


def test_job_and_cronjob_status_subresources(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=documents(job("pi"), cronjob("tick")))
    base = f"/apis/batch/v1/namespaces/{ns}"
    merge = {"Content-Type": "application/merge-patch+json"}
    status = {
        "status": {"active": 1, "failed": 2, "startTime": "2025-01-01T00:00:00Z"},
        "spec": {"parallelism": 9},
    }
    resp = server.request("PATCH", f"{base}/jobs/pi/status", json.dumps(status), headers=merge)
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["active"] == 1
    assert resp.json()["spec"]["parallelism"] == 1  # the status subresource leaves the spec alone
    back = server.request(
        "PATCH", f"{base}/jobs/pi/status", '{"status":{"failed":1}}', headers=merge
    )
    assert back.status == 422
    assert back.json()["message"] == (
        'Job.batch "pi" is invalid: status.failed: Invalid value: 1: cannot decrease the failed counter'
    )
    # A status write through the main resource is ignored.
    resp = server.request("PATCH", f"{base}/jobs/pi", '{"status":{"active":5}}', headers=merge)
    assert resp.json()["status"]["active"] == 1
    selected = server.kubectl(
        "get", "jobs", "-n", ns, "--field-selector", "status.successful=0", "-o", "name"
    )
    assert selected.stdout.split() == ["job.batch/pi"]
    resp = server.request(
        "PATCH",
        f"{base}/cronjobs/tick/status",
        json.dumps({"status": {"lastScheduleTime": "2025-01-01T00:00:00Z"}}),
        headers=merge,
    )
    assert resp.status == 200, resp.body
    assert raw(server, f"{base}/cronjobs/tick/status")["status"] == {
        "lastScheduleTime": "2025-01-01T00:00:00Z"
    }


# ---- HorizontalPodAutoscalers -------------------------------------------------------------


def test_hpas_are_stored_once_and_served_at_v2_and_v1(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            hpa(
                "v2",
                "web",
                minReplicas=2,
                metrics=[CPU_60, MEMORY],
                behavior={"scaleDown": {"stabilizationWindowSeconds": 300}},
            ),
            hpa("v1", "old", targetCPUUtilizationPercentage=50),
            hpa("v1", "bare"),
        ),
    )
    base = f"/apis/autoscaling/%s/namespaces/{ns}/horizontalpodautoscalers"
    web2 = raw(server, base % "v2" + "/web")
    assert web2["apiVersion"] == "autoscaling/v2"
    assert web2["spec"]["metrics"] == [CPU_60, MEMORY]
    assert web2["spec"]["behavior"] == {
        "scaleUp": {
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        },
        "scaleDown": {
            "stabilizationWindowSeconds": 300,
            "selectPolicy": "Max",
            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        },
    }
    assert web2["status"] == {"currentMetrics": None, "desiredReplicas": 0}
    web1 = raw(server, base % "v1" + "/web")
    assert web1["spec"] == {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 2,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 60,
    }
    assert web1["status"] == {"currentReplicas": 0, "desiredReplicas": 0}
    annotations = web1["metadata"]["annotations"]
    assert json.loads(annotations["autoscaling.alpha.kubernetes.io/metrics"]) == [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "500Mi"}}
    ]
    assert json.loads(annotations["autoscaling.alpha.kubernetes.io/behavior"])["ScaleDown"] == {
        "StabilizationWindowSeconds": 300,
        "SelectPolicy": "Max",
        "Policies": [{"Type": "Percent", "Value": 100, "PeriodSeconds": 15}],
        "Tolerance": None,
    }
    old2 = raw(server, base % "v2" + "/old")
    assert old2["spec"]["minReplicas"] == 1
    assert old2["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 50},
            },
        }
    ]
    bare1 = raw(server, base % "v1" + "/bare")
    assert (
        bare1["spec"]["targetCPUUtilizationPercentage"] == 80
    )  # v1's implicit default, made explicit
    assert [i["metadata"]["name"] for i in raw(server, base % "v1")["items"]] == [
        "bare",
        "old",
        "web",
    ]


def test_a_v1_update_keeps_what_only_v2_can_express(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            hpa(
                "v2", "web", metrics=[CPU_60, MEMORY], behavior={"scaleUp": {"selectPolicy": "Min"}}
            )
        ),
    )
    path = f"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers/web"
    web1 = raw(server, path)
    web1["spec"]["maxReplicas"] = 12
    resp = server.request("PUT", path, web1)
    assert resp.status == 200, resp.body
    web2 = raw(server, path.replace("/v1/", "/v2/"))
    assert web2["spec"]["maxReplicas"] == 12
    # v1 round trips put the CPU target last, as Kubernetes does.
    assert web2["spec"]["metrics"] == [MEMORY, CPU_60]
    assert web2["spec"]["behavior"]["scaleUp"]["selectPolicy"] == "Min"
    assert not any(
        k.startswith("autoscaling.alpha") for k in web2["metadata"].get("annotations", {})
    )


def test_hpas_print_as_kubectl_prints_them(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            hpa("v2", "web", minReplicas=2, metrics=[CPU_60, MEMORY]),
            hpa("v1", "old", targetCPUUtilizationPercentage=50),
        ),
    )
    header, hpas = table_cells(server.kubectl("get", "hpa", "-n", ns, "-o", "wide").stdout)
    assert header == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]
    assert hpas["web"] | {"AGE": ""} == {
        "NAME": "web",
        "REFERENCE": "Deployment/web",
        "TARGETS": "cpu: <unknown>/60%, memory: <unknown>/500Mi",
        "MINPODS": "2",
        "MAXPODS": "10",
        "REPLICAS": "0",
        "AGE": "",
    }
    assert hpas["old"]["TARGETS"] == "cpu: <unknown>/50%"
    # The v1 table has the same columns, printed from the object converted back to v2 (so a
    # CPU target comes after the other metrics, as a v1 round trip orders them).
    table = server.request(
        "GET",
        f"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers",
        headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"},
    ).json()
    cells = {r["cells"][0]: r["cells"] for r in table["rows"]}
    assert [c["name"] for c in table["columnDefinitions"]] == [
        "Name",
        "Reference",
        "Targets",
        "MinPods",
        "MaxPods",
        "Replicas",
        "Age",
    ]
    assert cells["old"][1:6] == ["Deployment/old", "cpu: <unknown>/50%", "1", 10, 0]


def test_invalid_hpas_are_refused_with_internal_field_paths(server, ns):
    result = server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        check=False,
        input=documents(
            hpa("v2", "zero", maxReplicas=0),
            hpa("v1", "cpu", targetCPUUtilizationPercentage=0),
            hpa(
                "v2",
                "slow",
                behavior={
                    "scaleUp": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 3600}]}
                },
            ),
        ),
    )
    err = result.stderr
    assert (
        'HorizontalPodAutoscaler.autoscaling "zero" is invalid: [spec.maxReplicas: Invalid value: 0: '
        "must be greater than 0, spec.maxReplicas: Invalid value: 0: must be greater than or equal to "
        "`minReplicas`]"
    ) in err
    assert (
        'HorizontalPodAutoscaler.autoscaling "cpu" is invalid: '
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"
    ) in err
    assert (
        'HorizontalPodAutoscaler.autoscaling "slow" is invalid: '
        "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800"
    ) in err


def test_hpa_status_subresource_at_both_versions(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(hpa("v1", "old", targetCPUUtilizationPercentage=50)),
    )
    path = f"/apis/autoscaling/%s/namespaces/{ns}/horizontalpodautoscalers/old/status"
    merge = {"Content-Type": "application/merge-patch+json"}
    body = {
        "status": {
            "currentReplicas": 3,
            "desiredReplicas": 4,
            "currentCPUUtilizationPercentage": 70,
        },
        "spec": {"maxReplicas": 1},
    }
    resp = server.request("PATCH", path % "v1", json.dumps(body), headers=merge)
    assert resp.status == 200, resp.body
    assert resp.json()["status"] == {
        "currentReplicas": 3,
        "desiredReplicas": 4,
        "currentCPUUtilizationPercentage": 70,
    }
    stored = raw(server, path % "v2")
    assert stored["spec"]["maxReplicas"] == 10
    assert stored["status"] == {
        "currentReplicas": 3,
        "desiredReplicas": 4,
        "currentMetrics": [
            {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 70}}}
        ],
    }
    bad = server.request("PATCH", path % "v2", '{"status":{"desiredReplicas":-1}}', headers=merge)
    assert bad.status == 422
    assert bad.json()["message"] == (
        'HorizontalPodAutoscaler.autoscaling "old" is invalid: '
        "status.desiredReplicas: Invalid value: -1: must be greater than or equal to 0"
    )
    # The main resource leaves status alone at either version.
    resp = server.request(
        "PATCH",
        (path % "v1").removesuffix("/status"),
        '{"status":{"currentReplicas":9}}',
        headers=merge,
    )
    assert resp.json()["status"]["currentReplicas"] == 3


def test_a_v1_watch_sends_converted_objects(server, ns):
    server.kubectl(
        "apply", "-n", ns, "-f", "-", input=documents(hpa("v2", "web", metrics=[CPU_60, MEMORY]))
    )
    resp = server.request(
        "GET",
        f"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers?watch=1&timeoutSeconds=1",
    )
    events = [json.loads(line) for line in resp.body.splitlines() if line.strip()]
    assert [e["type"] for e in events] == ["ADDED"]
    obj = events[0]["object"]
    assert obj["apiVersion"] == "autoscaling/v1"
    assert obj["spec"]["targetCPUUtilizationPercentage"] == 60
    assert "autoscaling.alpha.kubernetes.io/metrics" in obj["metadata"]["annotations"]
