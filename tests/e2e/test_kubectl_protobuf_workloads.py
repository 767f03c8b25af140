"""kubectl 1.33 sends workloads in protobuf: its `create deployment|job|cronjob` generators, and
`create job --from=cronjob/...`, which copies a CronJob's whole job template (every pod-spec
field the server stores) into the Job it sends. The server must store what kubectl 1.30 gets
from the same command in JSON."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from kubectl_protobuf import JSON_KUBECTL, PROTOBUF_KUBECTL, created_both_ways

DEPLOYMENTS = {
    "multi-image": ("--image=nginx", "--image=busybox", "--replicas=3", "--port=80"),
    "zero-replicas": ("--image=nginx", "--replicas=0"),
}


@pytest.mark.parametrize("case", sorted(DEPLOYMENTS))
def test_create_deployment_stores_the_same_object(server, case):
    args = ("create", "deployment", "{name}", *DEPLOYMENTS[case])
    as_json, as_protobuf = created_both_ways(server, "deployment", "d1", *args)
    assert as_protobuf == as_json


WITH_COMMAND = {
    "job": ("job", "--image=busybox", "--", "echo", "hi"),
    "cronjob": ("cronjob", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"),
}


@pytest.mark.parametrize("case", sorted(WITH_COMMAND))
def test_create_with_a_command_stores_the_same_object(server, case):
    resource, *args = WITH_COMMAND[case]
    as_json, as_protobuf = created_both_ways(
        server, resource, "withcmd", "create", resource, "{name}", *args
    )
    assert as_protobuf == as_json
    assert as_protobuf["spec"]


def test_zero_replicas_survive_protobuf(server):
    _, as_protobuf = created_both_ways(
        server,
        "deployment",
        "zero",
        "create",
        "deployment",
        "{name}",
        "--image=nginx",
        "--replicas=0",
    )
    assert as_protobuf["spec"]["replicas"] == 0


# ---- every pod-spec field, through `create job --from=cronjob/...` -------------------------

_PROBE_TIMINGS = {
    "initialDelaySeconds": 5,
    "timeoutSeconds": 2,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}
_MAIN = {
    "name": "main",
    "image": "busybox:1.36",
    "command": ["sh", "-c"],
    "args": ["sleep 3600", "--"],
    "workingDir": "/work",
    "ports": [
        {
            "name": "http",
            "containerPort": 8080,
            "hostPort": 8080,
            "protocol": "TCP",
            "hostIP": "127.0.0.1",
        },
    ],
    "env": [
        {"name": "PLAIN", "value": "x"},
        {"name": "EMPTY"},
        {
            "name": "POD",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
        },
        {
            "name": "CPU",
            "valueFrom": {
                "resourceFieldRef": {
                    "containerName": "main",
                    "resource": "limits.cpu",
                    "divisor": "1m",
                }
            },
        },
        {
            "name": "CM",
            "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "a", "optional": True}},
        },
        {
            "name": "SEC",
            "valueFrom": {"secretKeyRef": {"name": "s", "key": "b", "optional": False}},
        },
    ],
    "envFrom": [
        {"prefix": "CM_", "configMapRef": {"name": "cm", "optional": True}},
        {"secretRef": {"name": "s", "optional": False}},
    ],
    "resources": {
        "limits": {"cpu": "500m", "memory": "128Mi", "ephemeral-storage": "1Gi"},
        "requests": {"cpu": "250m", "memory": "64Mi"},
        "claims": [{"name": "gpu"}, {"name": "shared", "request": "one"}],
    },
    "resizePolicy": [
        {"resourceName": "cpu", "restartPolicy": "NotRequired"},
        {"resourceName": "memory", "restartPolicy": "NotRequired"},
    ],
    "volumeMounts": [
        {"name": "scratch", "mountPath": "/scratch", "subPath": "x", "mountPropagation": "None"},
        {"name": "cfg", "mountPath": "/cfg", "readOnly": True, "recursiveReadOnly": "IfPossible"},
        {"name": "info", "mountPath": "/info", "subPathExpr": "$(POD)"},
        {"name": "proj", "mountPath": "/proj", "readOnly": True},
        {"name": "sec", "mountPath": "/sec"},
        {"name": "host", "mountPath": "/host"},
    ],
    "volumeDevices": [{"name": "data", "devicePath": "/dev/xvda"}],
    "livenessProbe": {
        "httpGet": {
            "path": "/healthz",
            "port": 8080,
            "host": "localhost",
            "scheme": "HTTPS",
            "httpHeaders": [{"name": "X-Probe", "value": "1"}, {"name": "X-Empty", "value": ""}],
        },
        **_PROBE_TIMINGS,
        "terminationGracePeriodSeconds": 10,
    },
    "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, **_PROBE_TIMINGS},
    "startupProbe": {"tcpSocket": {"port": "http", "host": "127.0.0.1"}, **_PROBE_TIMINGS},
    "lifecycle": {
        "postStart": {"exec": {"command": ["sh", "-c", "echo started"]}},
        "preStop": {"sleep": {"seconds": 5}},
    },
    "terminationMessagePath": "/tmp/message",
    "terminationMessagePolicy": "FallbackToLogsOnError",
    "imagePullPolicy": "Always",
    "securityContext": {
        "capabilities": {"add": ["NET_ADMIN", "SYS_TIME"], "drop": ["ALL"]},
        "privileged": False,
        "seLinuxOptions": {"user": "u", "role": "r", "type": "t", "level": "s0:c1"},
        "runAsUser": 1001,
        "runAsGroup": 0,
        "runAsNonRoot": True,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "procMount": "Default",
        "seccompProfile": {"type": "RuntimeDefault"},
        "appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-profile"},
    },
    "stdin": True,
    "stdinOnce": True,
    "tty": True,
}
_SIDECAR = {
    "name": "sidecar",
    "image": "busybox:1.36",
    "ports": [{"containerPort": 9090, "hostPort": 9090, "protocol": "UDP"}],
    "readinessProbe": {"grpc": {"port": 9090, "service": ""}, **_PROBE_TIMINGS},
    "livenessProbe": {"grpc": {"port": 9090, "service": "health"}, **_PROBE_TIMINGS},
    "lifecycle": {
        "postStart": {"httpGet": {"path": "/start", "port": "http"}},
        "preStop": {"exec": {"command": ["sh", "-c", "sleep 1"]}},
    },
    "securityContext": {
        "windowsOptions": {
            "gmsaCredentialSpecName": "spec",
            "gmsaCredentialSpec": "{}",
            "runAsUserName": "ContainerUser",
            "hostProcess": False,
        },
    },
}
_INIT = [
    {
        "name": "setup",
        "image": "busybox:1.36",
        "command": ["sh", "-c", "true"],
        "resources": {"requests": {"cpu": "10m"}},
    },
    {
        "name": "agent",
        "image": "busybox:1.36",
        "restartPolicy": "Always",
        "startupProbe": {"exec": {"command": ["true"]}, **_PROBE_TIMINGS},
    },
]
_VOLUMES = [
    {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
    {"name": "plain", "emptyDir": {}},
    {
        "name": "cfg",
        "configMap": {
            "name": "cm",
            "items": [{"key": "a", "path": "a.txt", "mode": 256}, {"key": "b", "path": "b.txt"}],
            "defaultMode": 420,
            "optional": True,
        },
    },
    {
        "name": "sec",
        "secret": {
            "secretName": "s",
            "items": [{"key": "b", "path": "b.txt", "mode": 0}],
            "defaultMode": 256,
            "optional": False,
        },
    },
    {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
    {"name": "host-any", "hostPath": {"path": "/tmp", "type": ""}},
    {"name": "data", "persistentVolumeClaim": {"claimName": "pvc", "readOnly": True}},
    {
        "name": "info",
        "downwardAPI": {
            "items": [
                {
                    "path": "labels",
                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"},
                },
                {
                    "path": "cpu",
                    "resourceFieldRef": {
                        "containerName": "main",
                        "resource": "limits.cpu",
                        "divisor": "1m",
                    },
                    "mode": 384,
                },
            ],
            "defaultMode": 420,
        },
    },
    {
        "name": "proj",
        "projected": {
            "defaultMode": 420,
            "sources": [
                {
                    "serviceAccountToken": {
                        "audience": "api",
                        "expirationSeconds": 3600,
                        "path": "token",
                    }
                },
                {
                    "configMap": {
                        "name": "cm",
                        "items": [{"key": "a", "path": "cm-a", "mode": 256}],
                        "optional": True,
                    }
                },
                {"secret": {"name": "s", "optional": False}},
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "path": "name",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"},
                            }
                        ]
                    }
                },
                {
                    "clusterTrustBundle": {
                        "signerName": "example.com/signer",
                        "labelSelector": {"matchLabels": {"bundle": "yes"}},
                        "path": "ca.pem",
                        "optional": True,
                    }
                },
                {"clusterTrustBundle": {"name": "example.com:signer:abc", "path": "ca2.pem"}},
            ],
        },
    },
]
_AFFINITY_TERM = {
    "labelSelector": {"matchLabels": {"app": "db"}},
    "namespaces": ["data"],
    "topologyKey": "topology.kubernetes.io/zone",
    "namespaceSelector": {"matchExpressions": [{"key": "team", "operator": "Exists"}]},
    "matchLabelKeys": ["pod-template-hash"],
    "mismatchLabelKeys": ["tenant"],
}
_AFFINITY = {
    "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}],
                    "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}],
                },
            ]
        },
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 10,
                "preference": {"matchExpressions": [{"key": "disk", "operator": "Exists"}]},
            },
        ],
    },
    "podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [_AFFINITY_TERM],
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 5,
                "podAffinityTerm": {**_AFFINITY_TERM, "topologyKey": "kubernetes.io/hostname"},
            },
        ],
    },
    "podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {
                "labelSelector": {"matchLabels": {"app": "rich"}},
                "topologyKey": "kubernetes.io/hostname",
            },
        ],
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 100, "podAffinityTerm": {"topologyKey": "zone"}},
        ],
    },
}
POD_SPEC = {
    "volumes": _VOLUMES,
    "initContainers": _INIT,
    "containers": [_MAIN, _SIDECAR],
    "restartPolicy": "Never",
    "terminationGracePeriodSeconds": 30,
    "activeDeadlineSeconds": 300,
    "dnsPolicy": "None",
    "dnsConfig": {
        "nameservers": ["1.1.1.1"],
        "searches": ["example.com"],
        "options": [
            {"name": "ndots", "value": "2"},
            {"name": "edns0"},
            {"name": "empty", "value": ""},
        ],
    },
    "nodeSelector": {"disk": "ssd", "kubernetes.io/os": "linux"},
    "serviceAccountName": "default",
    "serviceAccount": "default",
    "automountServiceAccountToken": False,
    "nodeName": "node-1",
    "hostNetwork": True,
    "hostPID": True,
    "hostIPC": True,
    "shareProcessNamespace": False,
    "securityContext": {
        "seLinuxOptions": {"user": "u", "role": "r", "type": "t", "level": "s0"},
        "runAsUser": 1000,
        "runAsGroup": 3000,
        "runAsNonRoot": True,
        "supplementalGroups": [4000, 0, 5000],
        "supplementalGroupsPolicy": "Merge",
        "fsGroup": 2000,
        "sysctls": [{"name": "kernel.domainname", "value": "example"}],
        "fsGroupChangePolicy": "OnRootMismatch",
        "seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/audit.json"},
        "appArmorProfile": {"type": "RuntimeDefault"},
        "seLinuxChangePolicy": "Recursive",
    },
    "imagePullSecrets": [{"name": "regcred"}, {"name": "other"}],
    "hostname": "rich",
    "subdomain": "sub",
    "setHostnameAsFQDN": True,
    "affinity": _AFFINITY,
    "schedulerName": "my-scheduler",
    "tolerations": [
        {
            "key": "k",
            "operator": "Equal",
            "value": "v",
            "effect": "NoExecute",
            "tolerationSeconds": 0,
        },
        {"operator": "Exists"},
    ],
    "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a.local", "b.local"]}],
    "priorityClassName": "rich-priority",
    "priority": 7,
    "readinessGates": [{"conditionType": "example.com/ready"}],
    "runtimeClassName": "fast",
    "enableServiceLinks": False,
    "preemptionPolicy": "Never",
    "overhead": {"cpu": "100m", "memory": "1Mi"},
    "topologySpreadConstraints": [
        {
            "maxSkew": 1,
            "topologyKey": "zone",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app": "rich"}},
            "minDomains": 2,
            "nodeAffinityPolicy": "Honor",
            "nodeTaintsPolicy": "Ignore",
            "matchLabelKeys": ["pod-template-hash"],
        },
    ],
    "hostUsers": True,
    "resourceClaims": [
        {"name": "gpu", "resourceClaimTemplateName": "gpu-template"},
        {"name": "shared", "resourceClaimName": "shared-claim"},
    ],
    "resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "1"}},
    "schedulingGates": [{"name": "example.com/gate"}],
}
JOB_SPEC = {
    "parallelism": 2,
    "completions": 4,
    "activeDeadlineSeconds": 600,
    "backoffLimit": 0,
    "ttlSecondsAfterFinished": 0,
    "completionMode": "Indexed",
    "suspend": True,
    "backoffLimitPerIndex": 1,
    "maxFailedIndexes": 2,
    "podReplacementPolicy": "Failed",
    "managedBy": "example.com/controller",
    "podFailurePolicy": {
        "rules": [
            {
                "action": "FailJob",
                "onExitCodes": {"containerName": "main", "operator": "In", "values": [42, 43]},
            },
            {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [1]}},
            {
                "action": "Ignore",
                "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
            },
        ]
    },
    "successPolicy": {"rules": [{"succeededIndexes": "0-1", "succeededCount": 1}]},
    "template": {
        "metadata": {
            "labels": {"app": "rich", "tier": "batch"},
            "annotations": {"note": "from the template"},
        },
        "spec": POD_SPEC,
    },
}


def _without_fields_newer_than_1_30(pod_spec: dict[str, Any]) -> None:
    """kubectl 1.30 drops pod-spec fields it does not know when it reads the CronJob (and
    refuses pod resource claims, whose form changed in 1.31)."""
    for key in ("supplementalGroupsPolicy", "seLinuxChangePolicy"):
        del pod_spec["securityContext"][key]
    for key in ("resourceClaims", "resources"):
        del pod_spec[key]
    for container in pod_spec["containers"]:
        container.get("resources", {}).pop("claims", None)


def rich_cronjob(name: str, *, for_kubectl_1_30: bool = False) -> dict[str, Any]:
    job_spec = copy.deepcopy(JOB_SPEC)
    if for_kubectl_1_30:
        _without_fields_newer_than_1_30(job_spec["template"]["spec"])
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {
            "schedule": "*/5 * * * *",
            "timeZone": "Etc/UTC",
            "startingDeadlineSeconds": 30,
            "concurrencyPolicy": "Forbid",
            "suspend": True,
            "successfulJobsHistoryLimit": 0,
            "failedJobsHistoryLimit": 2,
            "jobTemplate": {
                "metadata": {
                    "labels": {"team": "a"},
                    "annotations": {"owner": "someone"},
                },
                "spec": job_spec,
            },
        },
    }


def _new_namespace(server: Any) -> str:
    name = "pbw-" + uuid.uuid4().hex[:8]
    server.kubectl("create", "namespace", name, version=JSON_KUBECTL)
    return name


def _get(server: Any, resource: str, name: str, namespace: str) -> dict[str, Any]:
    out = server.kubectl("get", resource, name, "-n", namespace, "-o", "json", version=JSON_KUBECTL)
    return json.loads(out.stdout)


def _comparable(obj: dict[str, Any], namespace: str) -> Any:
    """A stored object without what the server assigns (its uid also names the pods of a
    Job, in labels and selector) or what names its namespace."""
    meta = obj["metadata"]
    uid = meta.pop("uid")
    for key in ("resourceVersion", "creationTimestamp", "managedFields", "generation"):
        meta.pop(key, None)
    for owner in meta.get("ownerReferences", ()):
        owner.pop("uid")
    obj.pop("status", None)
    return json.loads(json.dumps(obj).replace(uid, "UID").replace(namespace, "NS"))


def _jobs_from_rich_cronjob(
    server: Any, *versions: str
) -> dict[str, tuple[dict[str, Any], dict[str, Any], str]]:
    """For each kubectl, the CronJob as stored and the Job kubectl made from it."""
    made = {}
    body = json.dumps(rich_cronjob("rich", for_kubectl_1_30=JSON_KUBECTL in versions))
    for version in versions:
        namespace = _new_namespace(server)
        server.kubectl("apply", "-n", namespace, "-f", "-", input=body)
        out = server.kubectl(
            "create",
            "job",
            "made",
            "--from=cronjob/rich",
            "-n",
            namespace,
            version=version,
            check=False,
        )
        assert out.returncode == 0, f"kubectl {version}: {out.stderr}"
        cronjob = _get(server, "cronjob", "rich", namespace)
        made[version] = (cronjob, _get(server, "job", "made", namespace), namespace)
    return made


JOB_POD_LABELS = (
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "job-name",
)


def test_job_from_a_rich_cronjob_is_stored_as_kubectl_1_30_stores_it(server):
    made = _jobs_from_rich_cronjob(server, JSON_KUBECTL, PROTOBUF_KUBECTL)
    _, as_json, json_ns = made[JSON_KUBECTL]
    _, as_protobuf, pb_ns = made[PROTOBUF_KUBECTL]
    assert _comparable(as_protobuf, pb_ns) == _comparable(as_json, json_ns)


def test_job_from_a_rich_cronjob_copies_its_template(server):
    cronjob, job, _ = _jobs_from_rich_cronjob(server, PROTOBUF_KUBECTL)[PROTOBUF_KUBECTL]
    template = cronjob["spec"]["jobTemplate"]
    stored = template["spec"]["template"]["spec"]
    assert set(POD_SPEC) <= set(stored)  # so every field described reached kubectl
    assert set(_MAIN) <= set(stored["containers"][0])
    labels = job["spec"]["template"]["metadata"]["labels"]
    for key in JOB_POD_LABELS:  # the Job's own, which the server adds to its pod template
        assert labels.pop(key)
    assert job["spec"]["template"] == template["spec"]["template"]
    for key, value in template["spec"].items():
        if key != "template":
            assert job["spec"][key] == value, key
    assert job["metadata"]["labels"] == {"team": "a"}
    assert job["metadata"]["annotations"] == {
        "owner": "someone",
        "cronjob.kubernetes.io/instantiate": "manual",
    }
    assert job["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": "rich",
            "uid": cronjob["metadata"]["uid"],
            "controller": True,
        }
    ]
