"""apps/v1 (Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions) end to end.

Objects are written with kubectl from YAML and read back as a real 1.33 cluster shows them:
defaults, tables (`-o wide` included), the messages of invalid objects and of forbidden
updates, generation, and the `status` and `scale` subresources (an autoscaling/v1 Scale).
"""

from __future__ import annotations

import json

from conftest import documents, table_cells

APPS = "/apis/apps/v1"


def workload(kind: str, name: str, app: str | None = None, **spec: object) -> dict:
    app = app or name
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": app}},
            "template": {
                "metadata": {"labels": {"app": app}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
            **spec,
        },
    }


def claim(name: str) -> dict:
    return {
        "metadata": {"name": name},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }


def revision(name: str, number: int, data: dict) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": name},
        "revision": number,
        "data": data,
    }


def get(server, path: str) -> dict:
    resp = server.request("GET", path)
    assert resp.status == 200, resp.body
    return resp.json()


def refused(result) -> str:
    assert result.returncode != 0, result.stdout
    return result.stderr.strip()


# ---- discovery ----------------------------------------------------------------------------


def test_discovery_lists_the_apps_kinds_with_their_short_names_and_subresources(server):
    res = {r["name"]: r for r in get(server, APPS)["resources"]}
    facts = {
        name: (r["kind"], r.get("shortNames", []), r.get("categories", []))
        for name, r in res.items()
        if "/" not in name
    }
    assert facts == {
        "controllerrevisions": ("ControllerRevision", [], []),
        "daemonsets": ("DaemonSet", ["ds"], ["all"]),
        "deployments": ("Deployment", ["deploy"], ["all"]),
        "replicasets": ("ReplicaSet", ["rs"], ["all"]),
        "statefulsets": ("StatefulSet", ["sts"], ["all"]),
    }
    subresources = {name: r["kind"] for name, r in res.items() if "/" in name}
    assert subresources == {
        "daemonsets/status": "DaemonSet",
        "deployments/scale": "Scale",
        "deployments/status": "Deployment",
        "replicasets/scale": "Scale",
        "replicasets/status": "ReplicaSet",
        "statefulsets/scale": "Scale",
        "statefulsets/status": "StatefulSet",
    }
    assert res["statefulsets/scale"]["group"] == "autoscaling"


# ---- defaults -------------------------------------------------------------------------------


def test_each_kind_reads_back_with_the_defaults_a_real_cluster_shows(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            workload("ReplicaSet", "front"),
            workload("StatefulSet", "db", serviceName="db", volumeClaimTemplates=[claim("data")]),
            workload("DaemonSet", "agent"),
            revision("db-1", 1, {"spec": {"template": {"metadata": {"labels": {"app": "db"}}}}}),
        ),
    )
    items = json.loads(
        server.kubectl(
            "get",
            "rs/front",
            "sts/db",
            "ds/agent",
            "controllerrevision/db-1",
            "-n",
            ns,
            "-o",
            "json",
        ).stdout
    )["items"]
    rs, sts, ds, cr = items
    for obj in (rs, sts, ds):
        assert obj["metadata"]["generation"] == 1
        template = obj["spec"]["template"]
        assert template["metadata"]["creationTimestamp"] is None
        pod = template["spec"]
        assert (pod["restartPolicy"], pod["dnsPolicy"], pod["schedulerName"]) == (
            "Always",
            "ClusterFirst",
            "default-scheduler",
        )
        assert pod["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert rs["spec"]["replicas"] == 1 and rs["status"] == {"replicas": 0}
    spec = sts["spec"]
    assert (spec["replicas"], spec["revisionHistoryLimit"], spec["podManagementPolicy"]) == (
        1,
        10,
        "OrderedReady",
    )
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["volumeClaimTemplates"] == [
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"creationTimestamp": None, "name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
                "volumeMode": "Filesystem",
            },
            "status": {"phase": "Pending"},
        }
    ]
    assert sts["status"] == {"availableReplicas": 0, "replicas": 0}
    assert ds["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
    }
    assert ds["spec"]["revisionHistoryLimit"] == 10
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "1"
    assert ds["status"] == {
        "currentNumberScheduled": 0,
        "desiredNumberScheduled": 0,
        "numberMisscheduled": 0,
        "numberReady": 0,
    }
    assert (cr["revision"], cr["data"]) == (
        1,
        {"spec": {"template": {"metadata": {"labels": {"app": "db"}}}}},
    )


# ---- tables ---------------------------------------------------------------------------------


def test_each_kind_prints_as_kubectl_prints_it(server, ns):
    server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            workload("ReplicaSet", "front", replicas=3),
            workload("StatefulSet", "db", replicas=2),
            workload("DaemonSet", "agent"),
            {
                **workload("DaemonSet", "ssd"),
                "spec": {
                    **workload("DaemonSet", "ssd")["spec"],
                    "template": {
                        "metadata": {"labels": {"app": "ssd"}},
                        "spec": {
                            "nodeSelector": {"disk": "ssd", "arch": "amd64"},
                            "containers": [{"name": "probe", "image": "busybox:1.36"}],
                        },
                    },
                },
            },
            revision("db-1", 1, {"a": 1}),
        ),
    )
    owner = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": "db",
        "uid": get(server, f"{APPS}/namespaces/{ns}/statefulsets/db")["metadata"]["uid"],
        "controller": True,
    }
    owned = revision("db-2", 2, {"b": 2})
    owned["metadata"]["ownerReferences"] = [owner]
    server.kubectl("create", "-n", ns, "-f", "-", input=documents(owned))

    header, rs = table_cells(server.kubectl("get", "rs", "-n", ns, "-o", "wide").stdout)
    assert header == [
        "NAME",
        "DESIRED",
        "CURRENT",
        "READY",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    assert {
        k: rs["front"][k]
        for k in ("DESIRED", "CURRENT", "READY", "CONTAINERS", "IMAGES", "SELECTOR")
    } == {
        "DESIRED": "3",
        "CURRENT": "0",
        "READY": "0",
        "CONTAINERS": "web",
        "IMAGES": "nginx:1.27",
        "SELECTOR": "app=front",
    }
    header, sts = table_cells(server.kubectl("get", "sts", "-n", ns, "-o", "wide").stdout)
    assert header == ["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"]
    assert (sts["db"]["READY"], sts["db"]["IMAGES"]) == ("0/2", "nginx:1.27")
    header, ds = table_cells(server.kubectl("get", "ds", "-n", ns, "-o", "wide").stdout)
    assert header == [
        "NAME",
        "DESIRED",
        "CURRENT",
        "READY",
        "UP-TO-DATE",
        "AVAILABLE",
        "NODE SELECTOR",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    assert ds["agent"]["NODE SELECTOR"] == "<none>" and ds["agent"]["DESIRED"] == "0"
    assert ds["ssd"]["NODE SELECTOR"] == "arch=amd64,disk=ssd"
    assert (ds["ssd"]["CONTAINERS"], ds["ssd"]["SELECTOR"]) == ("probe", "app=ssd")
    header, crs = table_cells(server.kubectl("get", "controllerrevisions", "-n", ns).stdout)
    assert header == ["NAME", "CONTROLLER", "REVISION", "AGE"]
    assert (crs["db-1"]["CONTROLLER"], crs["db-1"]["REVISION"]) == ("<none>", "1")
    assert (crs["db-2"]["CONTROLLER"], crs["db-2"]["REVISION"]) == ("statefulset.apps/db", "2")
    names = server.kubectl("get", "all", "-n", ns, "-o", "name").stdout.split()
    assert {"replicaset.apps/front", "statefulset.apps/db", "daemonset.apps/agent"} <= set(names)
    selected = server.kubectl(
        "get", "rs", "-n", ns, "--field-selector", "status.replicas=0", "-o", "name"
    ).stdout.split()
    assert selected == ["replicaset.apps/front"]


# ---- validation -----------------------------------------------------------------------------


def create(server, ns: str, obj: dict) -> str:
    return refused(server.kubectl("create", "-n", ns, "-f", "-", input=documents(obj), check=False))


def test_invalid_workloads_are_refused_with_kubernetes_messages(server, ns):
    bad_rs = workload("ReplicaSet", "mismatch")
    bad_rs["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    assert create(server, ns, bad_rs) == (
        'The ReplicaSet "mismatch" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"other"}: `selector` does not match template `labels`'
    )
    empty = workload("ReplicaSet", "empty", selector={})
    assert create(server, ns, empty) == (
        'The ReplicaSet "empty" is invalid: spec.selector: Invalid value: '
        "v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
    )
    pull = workload("DaemonSet", "pull")
    pull["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "Sometimes"
    assert create(server, ns, pull) == (
        'The DaemonSet "pull" is invalid: spec.template.spec.containers[0].imagePullPolicy: '
        'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'
    )
    surge = workload(
        "DaemonSet",
        "surge",
        updateStrategy={
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0},
        },
    )
    assert create(server, ns, surge) == (
        'The DaemonSet "surge" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: '
        "Required value: cannot be 0 when maxSurge is 0"
    )
    dotted = workload("StatefulSet", "db.one")
    assert create(server, ns, dotted) == (
        'The StatefulSet "db.one" is invalid: metadata.name: Invalid value: "db.one": '
        "must not contain dots"
    )
    policy = workload("StatefulSet", "db", podManagementPolicy="Random", serviceName="Bad_Name")
    assert create(server, ns, policy) == (
        'The StatefulSet "db" is invalid: \n'
        "* spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'\n"
        '* spec.serviceName: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of '
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    )
    revision_without_data = revision("r", -1, {})
    del revision_without_data["data"]
    assert create(server, ns, revision_without_data) == (
        'The ControllerRevision "r" is invalid: \n'
        "* data: Required value: data is mandatory\n"
        "* revision: Invalid value: -1: must be greater than or equal to 0"
    )


# ---- updates ----------------------------------------------------------------------------------


def patch(server, ns: str, target: str, body: dict, *, subresource: str = "") -> str:
    args = ["patch", target, "-n", ns, "--type=merge", "-p", json.dumps(body)]
    if subresource:
        args.append(f"--subresource={subresource}")
    return refused(server.kubectl(*args, check=False))


def test_immutable_fields_are_refused_on_update(server, ns):
    server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            workload("Deployment", "web"),
            workload("ReplicaSet", "front"),
            workload("DaemonSet", "agent"),
            workload("StatefulSet", "db", volumeClaimTemplates=[claim("data")]),
            revision("db-1", 1, {"a": 1}),
        ),
    )
    relabel = {
        "spec": {
            "selector": {"matchLabels": {"app": "two"}},
            "template": {"metadata": {"labels": {"app": "two"}}},
        }
    }
    selector = (
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"two"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
    )
    for kind, name in (("Deployment", "web"), ("ReplicaSet", "front"), ("DaemonSet", "agent")):
        assert patch(server, ns, f"{kind.lower()}/{name}", relabel) == (
            f'The {kind} "{name}" is invalid: spec.selector: Invalid value: {selector}: '
            "field is immutable"
        )
    mismatch = {"spec": {"template": {"metadata": {"labels": {"app": "other"}}}}}
    assert patch(server, ns, "deployment/web", mismatch) == (
        'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"other"}: `selector` does not match template `labels`'
    )
    grown = {
        "spec": {
            "volumeClaimTemplates": [
                claim("data") | {"spec": {"resources": {"requests": {"storage": "2Gi"}}}}
            ]
        }
    }
    assert patch(server, ns, "statefulset/db", grown) == (
        'The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for fields '
        "other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    )
    assert patch(server, ns, "statefulset/db", {"spec": {"serviceName": "other"}}).endswith(
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
        "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    )
    assert patch(server, ns, "controllerrevision/db-1", {"data": {"a": 2}}) == (
        'The ControllerRevision "db-1" is invalid: data: Invalid value: '
        'runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, '
        'Raw:[]uint8{0x7b, 0x22, 0x61, 0x22, 0x3a, 0x32, 0x7d}, ContentEncoding:"", '
        'ContentType:"application/json"}: field is immutable'
    )


def test_generation_counts_spec_changes_and_the_template_generation_template_changes(server, ns):
    server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(workload("StatefulSet", "db"), workload("DaemonSet", "agent")),
    )
    server.kubectl(
        "patch",
        "sts/db",
        "-n",
        ns,
        "--type=merge",
        "-p",
        json.dumps(
            {
                "spec": {
                    "replicas": 3,
                    "revisionHistoryLimit": 5,
                    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete"},
                }
            }
        ),
    )
    sts = get(server, f"{APPS}/namespaces/{ns}/statefulsets/db")
    assert sts["metadata"]["generation"] == 2
    assert sts["spec"]["persistentVolumeClaimRetentionPolicy"]["whenScaled"] == "Retain"
    server.kubectl("label", "ds/agent", "-n", ns, "tier=infra")
    ds = get(server, f"{APPS}/namespaces/{ns}/daemonsets/agent")
    assert ds["metadata"]["generation"] == 1
    image = {
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}
    }
    server.kubectl("patch", "ds/agent", "-n", ns, "--type=strategic", "-p", json.dumps(image))
    meta = get(server, f"{APPS}/namespaces/{ns}/daemonsets/agent")["metadata"]
    assert meta["generation"] == 2
    assert meta["annotations"]["deprecated.daemonset.template.generation"] == "2"
    server.kubectl(
        "patch", "ds/agent", "-n", ns, "--type=merge", "-p", '{"spec":{"minReadySeconds":5}}'
    )
    meta = get(server, f"{APPS}/namespaces/{ns}/daemonsets/agent")["metadata"]
    assert (
        meta["generation"],
        meta["annotations"]["deprecated.daemonset.template.generation"],
    ) == (
        3,
        "2",
    )


# ---- subresources -----------------------------------------------------------------------------


def test_status_updates_change_only_status_and_are_validated(server, ns):
    server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            workload("ReplicaSet", "front"),
            workload("StatefulSet", "db"),
            workload("DaemonSet", "agent"),
        ),
    )
    server.kubectl(
        "patch",
        "rs/front",
        "-n",
        ns,
        "--subresource=status",
        "--type=merge",
        "-p",
        json.dumps(
            {
                "spec": {"replicas": 7},
                "status": {"replicas": 1, "readyReplicas": 1, "observedGeneration": 1},
            }
        ),
    )
    rs = get(server, f"{APPS}/namespaces/{ns}/replicasets/front")
    assert rs["spec"]["replicas"] == 1 and rs["status"]["readyReplicas"] == 1
    assert patch(
        server, ns, "sts/db", {"status": {"replicas": 1, "readyReplicas": 2}}, subresource="status"
    ) == (
        'The StatefulSet "db" is invalid: status.readyReplicas: Invalid value: 2: '
        "cannot be greater than status.replicas"
    )
    assert patch(server, ns, "ds/agent", {"status": {"numberReady": -1}}, subresource="status") == (
        'The DaemonSet "agent" is invalid: status.numberReady: Invalid value: -1: '
        "must be greater than or equal to 0"
    )


def test_scale_reads_and_sets_replicas_through_an_autoscaling_v1_scale(server, ns):
    server.kubectl(
        "create",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(
            workload("ReplicaSet", "front"),
            workload("StatefulSet", "db"),
            workload("Deployment", "web"),
        ),
    )
    for resource, name in (
        ("replicasets", "front"),
        ("statefulsets", "db"),
        ("deployments", "web"),
    ):
        scale = get(server, f"{APPS}/namespaces/{ns}/{resource}/{name}/scale")
        assert (scale["apiVersion"], scale["kind"]) == ("autoscaling/v1", "Scale")
        assert scale["spec"] == {"replicas": 1}
        assert scale["status"] == {"replicas": 0, "selector": f"app={name}"}
    server.kubectl("scale", "rs/front", "sts/db", "-n", ns, "--replicas=4")
    for resource, name in (("replicasets", "front"), ("statefulsets", "db")):
        obj = get(server, f"{APPS}/namespaces/{ns}/{resource}/{name}")
        assert (obj["spec"]["replicas"], obj["metadata"]["generation"]) == (4, 2)
    # DaemonSets run one pod per node: they have no scale subresource.
    missing = server.request("GET", f"{APPS}/namespaces/{ns}/daemonsets/agent/scale")
    assert missing.status == 404
