"""core/v1 beyond pods and services, through kubectl and raw HTTP as a 1.33 cluster answers:
ReplicationControllers (with `scale`), PodTemplates, PersistentVolumes and claims, LimitRanges,
ResourceQuotas, ComponentStatuses, and what the older core kinds owe to 1.33 (deprecation
warnings, immutable ConfigMaps and Secrets)."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import pytest
import yaml

COLUMNS = re.compile(r"\s{2,}")
MANIFESTS = """
apiVersion: v1
kind: ReplicationController
metadata: {name: web}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources: {limits: {cpu: "0.5", memory: 1.5Gi}}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tpl}
template:
  metadata: {labels: {app: tpl}}
  spec:
    containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1024Mi}}
  storageClassName: manual
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - {type: Container, max: {cpu: "2"}, min: {memory: 64Mi}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota}
spec:
  hard: {pods: "10", requests.cpu: "4", limits.memory: 8Gi}
"""


def headers(output: str) -> list[list[str]]:
    """The header row of each table kubectl printed (one per kind)."""
    lines = output.splitlines()
    return [
        COLUMNS.split(line.strip())
        for i, line in enumerate(lines)
        if line.startswith("NAME") and (i == 0 or not lines[i - 1].strip())
    ]


def rows(output: str) -> dict[str, list[str]]:
    return {
        cells[0]: cells
        for line in output.splitlines()
        if line.strip() and not line.startswith("NAME")
        for cells in [COLUMNS.split(line.strip())]
    }


def invalid_causes(resp: Any) -> list[tuple[str, str]]:
    assert resp.status == 422, resp.body
    return [(c["field"], c["message"]) for c in resp.json()["details"]["causes"]]


@pytest.fixture(scope="module")
def objects(server) -> dict[str, Any]:
    """One namespace holding one of each namespaced kind, and a volume."""
    ns = "core-" + uuid.uuid4().hex[:8]
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
    assert server.request("POST", "/api/v1/namespaces", namespace).status == 201
    server.kubectl("apply", "-n", ns, "-f", "-", input=MANIFESTS)
    pv = f"pv-{ns}"
    volume = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": pv},
        "spec": {
            "capacity": {"storage": "1024Mi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": "/tmp/" + pv},
            "storageClassName": "manual",
        },
    }
    server.kubectl("create", "-f", "-", input=yaml.safe_dump(volume))
    return {"ns": ns, "pv": pv}


def get(server, path: str) -> dict:
    resp = server.request("GET", path)
    assert resp.status == 200, resp.body
    return resp.json()


# --- create from YAML and read back with defaults -------------------------------------------


def test_objects_read_back_with_their_defaults(server, objects):
    ns = objects["ns"]
    found = json.loads(
        server.kubectl("get", "rc,podtemplate,pvc,limits,quota", "-n", ns, "-o", "json").stdout
    )
    by_kind = {item["kind"]: item for item in found["items"]}

    rc = by_kind["ReplicationController"]
    assert rc["metadata"]["labels"] == {"app": "web"}
    assert rc["metadata"]["generation"] == 1
    assert rc["spec"]["selector"] == {"app": "web"}
    assert rc["status"] == {"replicas": 0}
    template = rc["spec"]["template"]
    assert template["metadata"]["creationTimestamp"] is None
    assert template["spec"]["restartPolicy"] == "Always"
    container = template["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["resources"]["limits"] == {"cpu": "500m", "memory": "1536Mi"}

    assert by_kind["PodTemplate"]["metadata"]["generation"] == 1
    assert by_kind["PodTemplate"]["template"]["spec"]["dnsPolicy"] == "ClusterFirst"

    pvc = by_kind["PersistentVolumeClaim"]
    assert pvc["spec"]["volumeMode"] == "Filesystem"
    assert pvc["spec"]["resources"] == {"requests": {"storage": "1Gi"}}
    assert pvc["status"] == {"phase": "Pending"}

    assert by_kind["LimitRange"]["spec"]["limits"] == [
        {
            "type": "Container",
            "max": {"cpu": "2"},
            "min": {"memory": "64Mi"},
            "default": {"cpu": "2"},
            "defaultRequest": {"cpu": "2", "memory": "64Mi"},
        }
    ]
    assert by_kind["ResourceQuota"]["status"] == {}

    pv = get(server, f"/api/v1/persistentvolumes/{objects['pv']}")
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["volumeMode"] == "Filesystem"
    assert pv["spec"]["capacity"] == {"storage": "1Gi"}
    assert pv["spec"]["hostPath"]["type"] == ""
    assert pv["status"]["phase"] == "Pending"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", pv["status"]["lastPhaseTransitionTime"])


# --- tables ---------------------------------------------------------------------------------


def test_tables_have_kubernetes_columns(server, objects):
    ns = objects["ns"]
    out = server.kubectl("get", "rc,podtemplate,pvc,limits,quota", "-n", ns, "-o", "wide").stdout
    assert headers(out) == [
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["NAME", "CONTAINERS", "IMAGES", "POD LABELS"],
        [
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS MODES",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "AGE",
            "VOLUMEMODE",
        ],
        ["NAME", "CREATED AT"],
        ["NAME", "REQUEST", "LIMIT", "AGE"],
    ]
    cells = rows(out)
    assert cells["replicationcontroller/web"][1:4] == ["2", "0", "0"]
    assert cells["replicationcontroller/web"][5:] == ["nginx", "nginx:1.27", "app=web"]
    assert cells["podtemplate/tpl"] == ["podtemplate/tpl", "c", "busybox", "app=tpl"]
    assert cells["persistentvolumeclaim/data"][1:3] == ["Pending", "manual"]

    out = server.kubectl("get", "pv", objects["pv"], "-o", "wide").stdout
    assert headers(out) == [
        [
            "NAME",
            "CAPACITY",
            "ACCESS MODES",
            "RECLAIM POLICY",
            "STATUS",
            "CLAIM",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "AGE",
            "VOLUMEMODE",
        ]
    ]
    pv_row = rows(out)[objects["pv"]]
    assert pv_row[1:5] == ["1Gi", "RWO", "Retain", "Pending"]
    assert pv_row[5:7] == ["manual", "<unset>"] and pv_row[-1] == "Filesystem"


# --- validation -----------------------------------------------------------------------------


def test_invalid_objects_are_refused_with_kubernetes_causes(server, objects):
    ns = objects["ns"]
    base = f"/api/v1/namespaces/{ns}"
    rc = {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "bad"},
        "spec": {
            "selector": {"app": "other"},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }
    assert invalid_causes(server.request("POST", f"{base}/replicationcontrollers", rc)) == [
        (
            "spec.template.metadata.labels",
            'Invalid value: map[string]string{"app":"web"}: '
            "`selector` does not match template `labels`",
        )
    ]
    pvc = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "bad"},
        "spec": {"accessModes": ["ReadWriteOncePod", "ReadWriteMany"]},
    }
    assert invalid_causes(server.request("POST", f"{base}/persistentvolumeclaims", pvc)) == [
        ("spec.accessModes", "Forbidden: may not use ReadWriteOncePod with other access modes"),
        ("spec.resources[storage]", "Required value"),
    ]
    pv = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": "bad-" + ns},
        "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]},
    }
    assert invalid_causes(server.request("POST", "/api/v1/persistentvolumes", pv)) == [
        ("spec", "Required value: must specify a volume type")
    ]
    limits = {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": "bad"},
        "spec": {"limits": [{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}]},
    }
    two, one = (
        f"Invalid value: resource.Quantity{{i:resource.int64Amount{{value:{n}, scale:0}}, "
        f'd:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:"{n}", Format:"DecimalSI"}}'
        for n in (2, 1)
    )
    # The defaults (limit from max, request from the limit) then fall below min as well.
    assert invalid_causes(server.request("POST", f"{base}/limitranges", limits)) == [
        ("spec.limits[0].min[cpu]", f"{two}: min value 2 is greater than max value 1"),
        (
            "spec.limits[0].defaultRequest[cpu]",
            f"{one}: min value 2 is greater than default request value 1",
        ),
        ("spec.limits[0].default[cpu]", f"{two}: min value 2 is greater than default value 1"),
    ]
    quota = {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "bad"},
        "spec": {"hard": {"cpu": "1"}, "scopes": ["BestEffort"]},
    }
    assert invalid_causes(server.request("POST", f"{base}/resourcequotas", quota)) == [
        (
            "spec.scopes",
            'Invalid value: []core.ResourceQuotaScope{"BestEffort"}: '
            "unsupported scope applied to resource",
        )
    ]
    template = {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "bad"}}
    assert invalid_causes(server.request("POST", f"{base}/podtemplates", template)) == [
        ("template.spec.containers", "Required value")
    ]


def test_kubectl_reports_an_invalid_rc_as_kubernetes_does(server, objects):
    bad = MANIFESTS.split("---")[0].replace("restartPolicy", "x") + (
        "      restartPolicy: OnFailure\n"
    )
    out = server.kubectl("create", "-n", objects["ns"], "-f", "-", input=bad, check=False)
    assert out.returncode == 1
    assert (
        'The ReplicationController "web" is invalid: spec.template.spec.restartPolicy: '
        'Unsupported value: "OnFailure": supported values: "Always"' in out.stderr
    )


# --- immutable fields -----------------------------------------------------------------------


def test_immutable_fields_cannot_change(server, objects):
    ns = objects["ns"]
    out = server.kubectl(
        "patch", "pvc", "data", "-n", ns, "-p", '{"spec":{"storageClassName":"fast"}}', check=False
    )
    assert (
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims" in out.stderr
    )
    out = server.kubectl(
        "patch", "pvc", "data", "-n", ns, "-p", '{"spec":{"volumeMode":"Block"}}', check=False
    )
    assert 'volumeMode: Invalid value: "Block": field is immutable' in out.stderr
    out = server.kubectl(
        "patch", "pv", objects["pv"], "-p", '{"spec":{"hostPath":{"path":"/other"}}}', check=False
    )
    assert (
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable "
        "after creation" in out.stderr
    )
    out = server.kubectl(
        "patch",
        "quota",
        "quota",
        "-n",
        ns,
        "-p",
        '{"spec":{"scopes":["NotBestEffort"]}}',
        check=False,
    )
    assert (
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"NotBestEffort"}: field is immutable'
        in out.stderr
    )


def test_immutable_configmaps_and_secrets_keep_their_data_and_type(server, ns):
    docs = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "frozen"},
            "data": {"a": "1"},
            "immutable": True,
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "tls"},
            "type": "kubernetes.io/tls",
            "stringData": {"tls.crt": "c", "tls.key": "k"},
        },
    ]
    server.kubectl("create", "-n", ns, "-f", "-", input=yaml.safe_dump_all(docs))
    out = server.kubectl("patch", "cm", "frozen", "-n", ns, "-p", '{"data":{"a":"2"}}', check=False)
    assert "data: Forbidden: field is immutable when `immutable` is set" in out.stderr
    out = server.kubectl("patch", "secret", "tls", "-n", ns, "-p", '{"type":"Opaque"}', check=False)
    assert 'type: Invalid value: "Opaque": field is immutable' in out.stderr
    missing = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "x"},
        "type": "kubernetes.io/tls",
    }
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/secrets", missing)
    assert invalid_causes(resp) == [
        ("data[tls.crt]", "Required value"),
        ("data[tls.key]", "Required value"),
    ]


# --- subresources ---------------------------------------------------------------------------


def test_rc_scale_and_status_subresources(server, objects):
    ns = objects["ns"]
    base = f"/api/v1/namespaces/{ns}/replicationcontrollers/web"
    assert server.kubectl("scale", "rc", "web", "-n", ns, "--replicas=3").returncode == 0
    scale = get(server, base + "/scale")
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 3}
    assert scale["status"] == {"replicas": 0, "selector": "app=web"}
    rc = get(server, base)
    assert rc["spec"]["replicas"] == 3 and rc["metadata"]["generation"] == 2
    out = server.kubectl("get", "rc", "web", "-n", ns, "--subresource=scale").stdout
    assert headers(out) == [["NAME", "DESIRED", "AVAILABLE", "AGE"]]
    assert rows(out)["web"][1:3] == ["3", "0"]

    bad = {**scale, "spec": {"replicas": -1}}
    assert invalid_causes(server.request("PUT", base + "/scale", bad)) == [
        ("spec.replicas", "Invalid value: -1: must be greater than or equal to 0")
    ]
    rc["status"] = {"replicas": 3, "readyReplicas": 2, "availableReplicas": 2}
    resp = server.request("PUT", base + "/status", rc)
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["readyReplicas"] == 2
    rc = resp.json()
    rc["status"]["availableReplicas"] = 3
    assert invalid_causes(server.request("PUT", base + "/status", rc)) == [
        ("status.availableReplicas", "Invalid value: 3: cannot be greater than readyReplicas")
    ]
    out = server.kubectl("get", "rc", "web", "-n", ns).stdout
    assert rows(out)["web"][1:4] == ["3", "3", "2"]


def test_volume_claim_and_quota_status_subresources(server, objects):
    ns = objects["ns"]
    pv_path = f"/api/v1/persistentvolumes/{objects['pv']}/status"
    before = get(server, pv_path)["status"]["lastPhaseTransitionTime"]
    patch = {"status": {"phase": "Available", "lastPhaseTransitionTime": "2020-01-01T00:00:00Z"}}
    resp = server.request(
        "PATCH", pv_path, patch, headers={"Content-Type": "application/merge-patch+json"}
    )
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["phase"] == "Available"
    assert resp.json()["status"]["lastPhaseTransitionTime"] == "2020-01-01T00:00:00Z" != before

    pvc_path = f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data/status"
    patch = {"status": {"phase": "Bound", "capacity": {"storage": "2048Mi"}}}
    resp = server.request(
        "PATCH", pvc_path, patch, headers={"Content-Type": "application/merge-patch+json"}
    )
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["capacity"] == {"storage": "2Gi"}

    quota_path = f"/api/v1/namespaces/{ns}/resourcequotas/quota/status"
    patch = {"status": {"hard": {"pods": "10", "limits.memory": "8Gi"}, "used": {"pods": "1"}}}
    resp = server.request(
        "PATCH", quota_path, patch, headers={"Content-Type": "application/merge-patch+json"}
    )
    assert resp.status == 200, resp.body
    out = server.kubectl("get", "quota", "quota", "-n", ns).stdout
    assert rows(out)["quota"][1:3] == ["pods: 1/10", "limits.memory: 0/8Gi"]


def test_deleting_an_rc_without_a_policy_orphans_its_pods(server, ns):
    rc = yaml.safe_load(MANIFESTS.split("---")[0])
    base = f"/api/v1/namespaces/{ns}/replicationcontrollers"
    assert server.request("POST", base, rc).status == 201
    resp = server.request("DELETE", base + "/web")
    assert resp.status == 200, resp.body
    assert resp.json()["metadata"]["finalizers"] == ["orphan"]
    deadline = time.monotonic() + 20
    while server.request("GET", base + "/web").status != 404:
        assert time.monotonic() < deadline, "the garbage collector never released the rc"
        time.sleep(0.1)


# --- field selectors ------------------------------------------------------------------------


def test_field_selectors(server, objects):
    ns = objects["ns"]
    names = server.kubectl(
        "get", "rc", "-n", ns, "--field-selector=status.replicas=0", "-o", "name"
    ).stdout.split()
    assert names == []
    names = server.kubectl(
        "get", "pvc", "-n", ns, "--field-selector=name=data", "-o", "name"
    ).stdout.split()
    assert names == ["persistentvolumeclaim/data"]
    names = server.kubectl(
        "get", "pv", f"--field-selector=name={objects['pv']}", "-o", "name"
    ).stdout.split()
    assert names == [f"persistentvolume/{objects['pv']}"]
    resp = server.request("GET", f"/api/v1/namespaces/{ns}/resourcequotas?fieldSelector=spec.x=1")
    assert resp.status == 400
    assert resp.json()["message"] == (
        '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )


# --- component statuses and deprecations ----------------------------------------------------


def test_component_statuses_report_what_is_running(server):
    out = server.kubectl("get", "cs")
    assert "Warning: v1 ComponentStatus is deprecated in v1.19+" in out.stderr
    assert headers(out.stdout) == [["NAME", "STATUS", "MESSAGE", "ERROR"]]
    statuses = rows(out.stdout)
    assert statuses["etcd-0"][1:] == ["Healthy", "ok"]
    assert statuses["scheduler"][1] == "Unhealthy"
    assert statuses["scheduler"][2].startswith('Get "https://127.0.0.1:10259/healthz": dial tcp')

    resp = server.request("GET", "/api/v1/componentstatuses?fieldSelector=metadata.name%3Detcd-0")
    assert resp.headers["warning"] == '299 - "v1 ComponentStatus is deprecated in v1.19+"'
    listed = resp.json()
    assert listed["kind"] == "ComponentStatusList"
    assert [item["metadata"] for item in listed["items"]] == [
        {"name": "etcd-0", "creationTimestamp": None}
    ]
    assert listed["items"][0]["conditions"] == [
        {"type": "Healthy", "status": "True", "message": "ok"}
    ]

    missing = server.request("GET", "/api/v1/componentstatuses/nope")
    assert (missing.status, missing.json().get("reason")) == (500, None)
    assert missing.json()["message"] == "Component not found: nope"
    assert server.request("GET", "/api/v1/componentstatuses?watch=1").status == 405
    assert server.request("DELETE", "/api/v1/componentstatuses/etcd-0").status == 405


def test_endpoints_warn_that_they_are_deprecated(server, ns):
    out = server.kubectl("get", "endpoints", "-n", ns)
    assert (
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
        in out.stderr
    )


def test_discovery_lists_the_core_kinds_with_their_facts(server):
    resources = {r["name"]: r for r in get(server, "/api/v1")["resources"]}
    assert resources["replicationcontrollers"]["shortNames"] == ["rc"]
    assert resources["replicationcontrollers"]["categories"] == ["all"]
    assert resources["replicationcontrollers/scale"]["group"] == "autoscaling"
    assert resources["replicationcontrollers/scale"]["kind"] == "Scale"
    assert resources["persistentvolumes"]["namespaced"] is False
    assert resources["persistentvolumes"]["shortNames"] == ["pv"]
    assert resources["persistentvolumeclaims"]["shortNames"] == ["pvc"]
    assert "persistentvolumeclaims/status" in resources
    assert resources["limitranges"]["shortNames"] == ["limits"]
    assert resources["resourcequotas"]["shortNames"] == ["quota"]
    assert "resourcequotas/status" in resources
    assert resources["podtemplates"]["kind"] == "PodTemplate"
    assert resources["componentstatuses"]["verbs"] == ["get", "list"]
    assert resources["componentstatuses"]["shortNames"] == ["cs"]
