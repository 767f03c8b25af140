"""storage.k8s.io, scheduling.k8s.io, node.k8s.io and certificates.k8s.io against a real server,
driven by kubectl and raw HTTP: discovery, defaults, tables, validation, immutable fields and
the subresources (volumeattachments/status, certificatesigningrequests/approval and /status)."""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from client_certs import new_ca
from conftest import invalid_causes

STORAGE = "/apis/storage.k8s.io/v1"
CERTIFICATES = "/apis/certificates.k8s.io/v1"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
def suffix() -> str:
    return uuid.uuid4().hex[:6]


def header(table: str) -> list[str]:
    return table.splitlines()[0].split()


# ---------------------------------------------------------------- discovery


DISCOVERY = {
    "/apis/storage.k8s.io/v1": {
        "csidrivers": ("CSIDriver", False, []),
        "csinodes": ("CSINode", False, []),
        "csistoragecapacities": ("CSIStorageCapacity", True, []),
        "storageclasses": ("StorageClass", False, ["sc"]),
        "volumeattachments": ("VolumeAttachment", False, []),
        "volumeattachments/status": ("VolumeAttachment", False, None),
    },
    "/apis/scheduling.k8s.io/v1": {"priorityclasses": ("PriorityClass", False, ["pc"])},
    "/apis/node.k8s.io/v1": {"runtimeclasses": ("RuntimeClass", False, [])},
    "/apis/certificates.k8s.io/v1": {
        "certificatesigningrequests": ("CertificateSigningRequest", False, ["csr"]),
        "certificatesigningrequests/approval": ("CertificateSigningRequest", False, None),
        "certificatesigningrequests/status": ("CertificateSigningRequest", False, None),
    },
}


def test_discovery_lists_the_kinds_1_33_serves(server):
    for path, expected in DISCOVERY.items():
        resp = server.request("GET", path)
        assert resp.status == 200, path
        served = {r["name"]: r for r in resp.json()["resources"]}
        assert set(served) == set(expected), path
        for name, (kind, namespaced, short_names) in expected.items():
            assert (served[name]["kind"], served[name]["namespaced"]) == (kind, namespaced)
            singular = "" if "/" in name else kind.lower()
            assert served[name]["singularName"] == singular, name
            assert served[name].get("shortNames") == (short_names or None)
            verbs = (
                ["get", "patch", "update"]
                if "/" in name
                else [
                    "create",
                    "delete",
                    "deletecollection",
                    "get",
                    "list",
                    "patch",
                    "update",
                    "watch",
                ]
            )
            assert sorted(served[name]["verbs"]) == verbs, name
    # VolumeAttributesClass (beta) and ClusterTrustBundle (alpha/beta) are off by default in 1.33.
    assert server.request("GET", "/apis/storage.k8s.io/v1beta1").status == 404
    assert server.request("GET", "/apis/certificates.k8s.io/v1beta1").status == 404


# ---------------------------------------------------------------- storage.k8s.io


STORAGE_YAML = """
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast-{s}
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: ebs.csi.aws.com
parameters:
  type: gp3
allowVolumeExpansion: true
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: csi-{s}.example.com
spec:
  podInfoOnMount: true
---
apiVersion: storage.k8s.io/v1
kind: CSINode
metadata:
  name: node-{s}
spec:
  drivers:
  - name: csi-{s}.example.com
    nodeID: i-123
    topologyKeys: [topology.example.com/zone]
---
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: va-{s}
spec:
  attacher: csi-{s}.example.com
  nodeName: node-{s}
  source:
    persistentVolumeName: pv-{s}
---
apiVersion: storage.k8s.io/v1
kind: CSIStorageCapacity
metadata:
  name: cap-{s}
  namespace: {ns}
storageClassName: fast-{s}
capacity: 1024Gi
nodeTopology:
  matchLabels:
    topology.example.com/zone: a
"""


def test_storage_objects_apply_with_defaults_and_print_kubectls_tables(server, ns, suffix):
    s = suffix
    server.kubectl("apply", "-f", "-", input=STORAGE_YAML.format(s=s, ns=ns))
    out = server.kubectl(
        "get",
        f"storageclass/fast-{s}",
        f"csidriver/csi-{s}.example.com",
        f"csinode/node-{s}",
        f"volumeattachment/va-{s}",
        "-o",
        "json",
    ).stdout
    sc, driver, node, va = json.loads(out)["items"]
    assert (sc["reclaimPolicy"], sc["volumeBindingMode"]) == ("Delete", "Immediate")
    assert driver["spec"] == {
        "attachRequired": True,
        "podInfoOnMount": True,
        "storageCapacity": False,
        "fsGroupPolicy": "ReadWriteOnceWithFSType",
        "requiresRepublish": False,
        "seLinuxMount": False,
        "volumeLifecycleModes": ["Persistent"],
    }
    assert "generation" not in driver["metadata"]
    assert node["spec"]["drivers"][0]["nodeID"] == "i-123"
    assert va["status"] == {"attached": False}

    tables = server.kubectl(
        "get",
        f"storageclass/fast-{s}",
        f"volumeattachment/va-{s}",
        f"csidriver/csi-{s}.example.com",
        f"csinode/node-{s}",
    ).stdout.split("\n\n")
    assert header(tables[0]) == [
        "NAME",
        "PROVISIONER",
        "RECLAIMPOLICY",
        "VOLUMEBINDINGMODE",
        "ALLOWVOLUMEEXPANSION",
        "AGE",
    ]
    assert tables[0].splitlines()[1].split()[:6] == [
        f"storageclass.storage.k8s.io/fast-{s}",
        "(default)",
        "ebs.csi.aws.com",
        "Delete",
        "Immediate",
        "true",
    ]
    assert header(tables[1]) == ["NAME", "ATTACHER", "PV", "NODE", "ATTACHED", "AGE"]
    assert tables[1].splitlines()[1].split()[1:5] == [
        f"csi-{s}.example.com",
        f"pv-{s}",
        f"node-{s}",
        "false",
    ]
    assert header(tables[2]) == [
        "NAME",
        "ATTACHREQUIRED",
        "PODINFOONMOUNT",
        "STORAGECAPACITY",
        "TOKENREQUESTS",
        "REQUIRESREPUBLISH",
        "MODES",
        "AGE",
    ]
    assert tables[2].splitlines()[1].split()[1:7] == [
        "true",
        "true",
        "false",
        "<unset>",
        "false",
        "Persistent",
    ]
    assert header(tables[3]) == ["NAME", "DRIVERS", "AGE"]
    capacity = server.kubectl("get", "csistoragecapacity", "-n", ns).stdout.splitlines()
    assert [line.split() for line in capacity] == [
        ["NAME", "STORAGECLASSNAME", "CAPACITY"],
        [f"cap-{s}", f"fast-{s}", "1Ti"],
    ]
    server.kubectl("delete", f"storageclass/fast-{s}")  # leave no default class behind


INVALID_STORAGE_YAML = """
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: bad-{s}
provisioner: ""
reclaimPolicy: Recycle
volumeBindingMode: Later
---
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: bad-{s}
spec:
  attacher: csi.example.com
  nodeName: node-1
  source: {{}}
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: bad-{s}.example.com
spec:
  fsGroupPolicy: Always
---
apiVersion: storage.k8s.io/v1
kind: CSINode
metadata:
  name: bad-{s}
spec:
  drivers:
  - {{name: a.example.com, nodeID: ""}}
---
apiVersion: storage.k8s.io/v1
kind: CSIStorageCapacity
metadata:
  name: bad-{s}
  namespace: {ns}
storageClassName: fast
capacity: -1Gi
"""


def test_invalid_storage_objects_are_refused_with_kubernetes_messages(server, ns, suffix):
    result = server.kubectl(
        "create", "-f", "-", input=INVALID_STORAGE_YAML.format(s=suffix, ns=ns), check=False
    )
    assert result.returncode != 0
    err = result.stderr
    assert (
        f'StorageClass.storage.k8s.io "bad-{suffix}" is invalid: [provisioner: Required value, '
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain", '
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", '
        '"WaitForFirstConsumer"]'
    ) in err
    assert (
        f'VolumeAttachment.storage.k8s.io "bad-{suffix}" is invalid: spec.source: Required value: '
        "must specify exactly one of inlineVolumeSpec and persistentVolumeName"
    ) in err
    assert (
        'spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", "None", '
        '"ReadWriteOnceWithFSType"'
    ) in err
    assert (
        f'CSINode.storage.k8s.io "bad-{suffix}" is invalid: spec.drivers[0].nodeID: Required value'
        in err
    )
    assert 'capacity: Invalid value: "-1Gi": must be greater than or equal to 0' in err


def test_fixed_storage_fields_may_not_change(server, ns, suffix):
    s = suffix
    server.kubectl("apply", "-f", "-", input=STORAGE_YAML.format(s=s, ns=ns))
    resp = server.request(
        "PATCH",
        f"{STORAGE}/storageclasses/fast-{s}",
        {
            "provisioner": "other.example.com",
            "parameters": {"type": "io2"},
            "reclaimPolicy": "Retain",
            "volumeBindingMode": "WaitForFirstConsumer",
        },
        headers=MERGE,
    )
    assert invalid_causes(resp) == [
        ("parameters", "Forbidden: updates to parameters are forbidden."),
        ("provisioner", "Forbidden: updates to provisioner are forbidden."),
        ("reclaimPolicy", "Forbidden: updates to reclaimPolicy are forbidden."),
        ("volumeBindingMode", 'Invalid value: "WaitForFirstConsumer": field is immutable'),
    ]
    resp = server.request(
        "PATCH",
        f"{STORAGE}/csidrivers/csi-{s}.example.com",
        {"spec": {"attachRequired": False, "volumeLifecycleModes": ["Ephemeral"]}},
        headers=MERGE,
    )
    assert invalid_causes(resp) == [
        ("spec.attachedRequired", "Invalid value: false: field is immutable"),
        (
            "spec.volumeLifecycleModes",
            'Invalid value: []storage.VolumeLifecycleMode{"Ephemeral"}: field is immutable',
        ),
    ]
    # A mutable spec field changes, and counts a generation.
    resp = server.request(
        "PATCH",
        f"{STORAGE}/csidrivers/csi-{s}.example.com",
        {"spec": {"requiresRepublish": True}},
        headers=MERGE,
    )
    assert resp.json()["metadata"]["generation"] == 1
    resp = server.request(
        "PATCH",
        f"{STORAGE}/csinodes/node-{s}",
        {"spec": {"drivers": [{"name": f"csi-{s}.example.com", "nodeID": "i-999"}]}},
        headers=MERGE,
    )
    assert invalid_causes(resp)[0][0] == "spec.drivers"
    assert 'NodeID:"i-999"' in invalid_causes(resp)[0][1]
    resp = server.request(
        "PATCH",
        f"{STORAGE}/volumeattachments/va-{s}",
        {"spec": {"nodeName": "node-2"}},
        headers=MERGE,
    )
    assert invalid_causes(resp)[0][0] == "spec"
    assert invalid_causes(resp)[0][1].endswith('NodeName:"node-2"}: field is immutable')
    resp = server.request(
        "PATCH",
        f"{STORAGE}/namespaces/{ns}/csistoragecapacities/cap-{s}",
        {"storageClassName": "slow", "nodeTopology": {"matchLabels": {"zone": "b"}}},
        headers=MERGE,
    )
    assert [field for field, _ in invalid_causes(resp)] == ["nodeTopology", "storageClassName"]
    server.kubectl("delete", f"storageclass/fast-{s}")


def test_volume_attachment_status_is_its_own_subresource(server, ns, suffix):
    s = suffix
    server.kubectl("apply", "-f", "-", input=STORAGE_YAML.format(s=s, ns=ns))
    base = f"{STORAGE}/volumeattachments/va-{s}"
    status = {"attached": True, "attachmentMetadata": {"devicePath": "/dev/xvdba"}}
    # The main resource keeps the status it has...
    resp = server.request("PATCH", base, {"status": status}, headers=MERGE)
    assert resp.json()["status"] == {"attached": False}
    # ...the status subresource sets it, and ignores a changed spec.
    resp = server.request(
        "PATCH", base + "/status", {"status": status, "spec": {"nodeName": "other"}}, headers=MERGE
    )
    assert resp.status == 200, resp.body
    assert resp.json()["status"] == status
    assert resp.json()["spec"]["nodeName"] == f"node-{s}"
    assert server.request("GET", base + "/status").json()["status"]["attached"] is True
    # An update must name the version it replaces.
    current = server.request("GET", base).json()
    del current["metadata"]["resourceVersion"]
    resp = server.request("PUT", base, current)
    assert invalid_causes(resp) == [
        ("metadata.resourceVersion", "Invalid value: 0: must be specified for an update")
    ]
    server.kubectl("delete", f"storageclass/fast-{s}")


def test_objects_are_stored_under_kubernetes_key_roots(server, ns, suffix):
    s = suffix
    pc = f"apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {{name: pc-{s}}}\nvalue: 1\n"
    server.kubectl("apply", "-f", "-", input=STORAGE_YAML.format(s=s, ns=ns) + "---\n" + pc)
    db = sqlite3.connect(f"file:{server.data_dir / 'kube.db'}?mode=ro", uri=True)
    try:
        keys = {key for (key,) in db.execute("SELECT key FROM kv WHERE key LIKE '/registry/%'")}
    finally:
        db.close()
    assert {
        f"/registry/storageclasses/fast-{s}",
        f"/registry/csidrivers/csi-{s}.example.com",
        f"/registry/csinodes/node-{s}",
        f"/registry/volumeattachments/va-{s}",
        f"/registry/csistoragecapacities/{ns}/cap-{s}",
        f"/registry/priorityclasses/pc-{s}",
        "/registry/priorityclasses/system-node-critical",
    } <= keys
    server.kubectl("delete", f"storageclass/fast-{s}")


# ---------------------------------------------------------------- scheduling.k8s.io, node.k8s.io


def test_bootstrap_priority_classes_exist_and_cannot_be_deleted(server):
    out = server.kubectl(
        "get", "pc", "system-node-critical", "system-cluster-critical", "-o", "json"
    )
    items = {pc["metadata"]["name"]: pc for pc in json.loads(out.stdout)["items"]}
    assert items["system-node-critical"]["value"] == 2000001000
    assert items["system-cluster-critical"]["value"] == 2000000000
    assert items["system-node-critical"]["description"] == (
        "Used for system critical pods that must not be moved from their current node."
    )
    assert items["system-cluster-critical"]["preemptionPolicy"] == "PreemptLowerPriority"
    assert items["system-cluster-critical"]["metadata"]["generation"] == 1
    result = server.kubectl("delete", "pc", "system-node-critical", check=False)
    assert result.returncode != 0
    assert (
        'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system '
        "priority class and cannot be deleted"
    ) in result.stderr


def test_priority_and_runtime_classes(server, suffix):
    s = suffix
    server.kubectl(
        "apply",
        "-f",
        "-",
        input=f"""
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: batch-{s}
value: 1000
description: batch jobs
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor-{s}
handler: runsc
scheduling:
  nodeSelector:
    runtime: gvisor
overhead:
  podFixed:
    memory: 120Mi
""",
    )
    tables = server.kubectl("get", f"pc/batch-{s}", f"runtimeclass/gvisor-{s}").stdout.split("\n\n")
    assert header(tables[0]) == ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]
    row = tables[0].splitlines()[1].split()
    assert row[1:3] + row[4:] == ["1000", "false", "PreemptLowerPriority"]
    assert header(tables[1]) == ["NAME", "HANDLER", "AGE"]
    assert tables[1].splitlines()[1].split()[1] == "runsc"

    result = server.kubectl(
        "create",
        "-f",
        "-",
        check=False,
        input=f"""
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: system-{s}
value: 5
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: huge-{s}
value: 2000000000
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: bad-{s}
handler: run.sc
""",
    )
    assert (
        f"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
        f"system use only. error: system-{s} is not a known system priority class"
    ) in result.stderr
    assert "value: Forbidden: maximum allowed value of a user defined priority is 1000000000" in (
        result.stderr
    )
    assert 'handler: Invalid value: "run.sc": must not contain dots' in result.stderr

    resp = server.request(
        "PATCH",
        f"/apis/scheduling.k8s.io/v1/priorityclasses/batch-{s}",
        {"value": 5, "preemptionPolicy": "Never", "description": "changed"},
        headers=MERGE,
    )
    assert invalid_causes(resp) == [
        ("value", "Forbidden: may not be changed in an update."),
        ("preemptionPolicy", 'Invalid value: "Never": field is immutable'),
    ]
    resp = server.request(
        "PATCH",
        f"/apis/node.k8s.io/v1/runtimeclasses/gvisor-{s}",
        {"handler": "kata"},
        headers=MERGE,
    )
    assert invalid_causes(resp) == [("handler", 'Invalid value: "kata": field is immutable')]


# ---------------------------------------------------------------- certificates.k8s.io


def pem_request(cn: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


CSR_YAML = """
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: alice-{s}
spec:
  request: {request}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages: [client auth]
  username: someone-else
"""


def test_csr_lifecycle_through_approval_and_status(server, suffix):
    name = f"alice-{suffix}"
    server.kubectl(
        "create", "-f", "-", input=CSR_YAML.format(s=suffix, request=b64(pem_request("alice")))
    )
    csr = json.loads(server.kubectl("get", "csr", name, "-o", "json").stdout)
    # The requestor is whoever created it, whatever the manifest said.
    assert csr["spec"]["username"] == "kubernetes-admin"
    assert "system:masters" in csr["spec"]["groups"]
    assert csr["status"] == {}
    table = server.kubectl("get", "csr", name).stdout.splitlines()
    assert header("\n".join(table)) == [
        "NAME",
        "AGE",
        "SIGNERNAME",
        "REQUESTOR",
        "REQUESTEDDURATION",
        "CONDITION",
    ]
    row = table[1].split()
    assert row[:1] + row[2:] == [
        name,
        "kubernetes.io/kube-apiserver-client",
        "kubernetes-admin",
        "24h",
        "Pending",
    ]
    selected = server.kubectl(
        "get",
        "csr",
        "--field-selector",
        "spec.signerName=kubernetes.io/kube-apiserver-client",
        "-o",
        "name",
    ).stdout
    assert f"certificatesigningrequest.certificates.k8s.io/{name}" in selected.split()

    # The main resource neither approves nor changes the request.
    base = f"{CERTIFICATES}/certificatesigningrequests/{name}"
    approve = {"status": {"conditions": [{"type": "Approved", "status": "True", "reason": "Test"}]}}
    resp = server.request(
        "PATCH", base, {**approve, "spec": {"usages": ["server auth"]}}, headers=MERGE
    )
    assert resp.status == 200, resp.body
    assert (resp.json()["status"], resp.json()["spec"]["usages"]) == ({}, ["client auth"])

    # kubectl drives the approval subresource; the server stamps the condition's times.
    server.kubectl(
        "patch", "csr", name, "--subresource=approval", "--type=merge", "-p", json.dumps(approve)
    )
    condition = json.loads(server.kubectl("get", "csr", name, "-o", "json").stdout)["status"][
        "conditions"
    ][0]
    assert condition["type"] == "Approved" and condition["lastUpdateTime"]
    assert condition["lastTransitionTime"]
    deny = {
        "op": "add",
        "path": "/status/conditions/-",
        "value": {"type": "Denied", "status": "True"},
    }
    result = server.kubectl(
        "patch",
        "csr",
        name,
        "--subresource=approval",
        "--type=json",
        "-p",
        json.dumps([deny]),
        check=False,
    )
    assert (
        'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are '
        "mutually exclusive"
    ) in result.stderr

    # The signer writes the certificate through status, once.
    issued = {"status": {"certificate": b64(new_ca("alice").cert_pem)}}
    resp = server.request("PATCH", base + "/status", issued, headers=MERGE)
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["conditions"][0]["type"] == "Approved"
    assert server.kubectl("get", "csr", name).stdout.splitlines()[1].split()[-1] == (
        "Approved,Issued"
    )
    resp = server.request(
        "PATCH", base + "/status", {"status": {"certificate": b64(b"junk")}}, headers=MERGE
    )
    assert invalid_causes(resp) == [
        (
            "status.certificate",
            'Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block',
        ),
        ("status.certificate", "Forbidden: updates may not modify existing certificate content"),
    ]


def test_invalid_csrs_are_refused(server, suffix):
    body = {
        "apiVersion": "certificates.k8s.io/v1",
        "kind": "CertificateSigningRequest",
        "metadata": {"name": f"bad-{suffix}"},
        "spec": {
            "request": b64(b"hello"),
            "signerName": "example",
            "usages": ["flying"],
            "expirationSeconds": 60,
        },
    }
    resp = server.request("POST", f"{CERTIFICATES}/certificatesigningrequests", body)
    fields = invalid_causes(resp)
    assert fields[0] == (
        "spec.request",
        "Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST",
    )
    assert fields[1][0] == "spec.usages[0]"
    assert fields[1][1].startswith('Unsupported value: "flying": supported values: "any", ')
    assert fields[2:] == [
        (
            "spec.signerName",
            'Invalid value: "example": must be a fully qualified domain and path of the form '
            "'example.com/signer-name'",
        ),
        (
            "spec.expirationSeconds",
            "Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)",
        ),
    ]
